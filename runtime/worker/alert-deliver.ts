import { WORKER_ENV, type WorkerConfig } from "./config.ts";
import type { JobContext, JobHandler } from "./handlers.ts";
import { redactSecrets } from "./redact.ts";
import { type AlertPayload, buildSlackMessage } from "./slack-message.ts";

export const ALERT_DELIVER_KIND = "alert.deliver";

/** How much of a refusing receiver's body goes into the error (Slack's are one word). */
const MAX_BODY_EXCERPT = 200;

/**
 * The built-in `alert.deliver` handler: POSTs the alert as Slack-compatible JSON. A non-2xx
 * answer, a timeout or a network error throws, so the queue retries with backoff and dead-letters
 * the job after max_attempts. The URL is a secret: no message carries it.
 */
export function createAlertDeliverHandler(
  config: Pick<WorkerConfig, "alertWebhookUrl" | "alertTimeoutMs">,
): JobHandler {
  return async (payload: unknown, context: JobContext) => {
    const url = config.alertWebhookUrl;
    if (!url) {
      throw new Error(
        `'${WORKER_ENV.alertWebhookUrl}' is not set in the worker's environment: set it to a Slack-compatible incoming webhook URL to deliver alerts.`,
      );
    }
    const alert = validateAlertPayload(payload);
    const timeout = AbortSignal.timeout(config.alertTimeoutMs);
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(buildSlackMessage(alert)),
      // Never followed: a redirect could send the alert (a 307 keeps the body) to any host the
      // worker may reach, internal ones named with --allow-host included.
      redirect: "manual",
      signal: AbortSignal.any([timeout, context.signal]),
    }).catch((error: Error) => {
      if (timeout.aborted) {
        throw new Error(
          `The alert webhook did not answer within ${config.alertTimeoutMs} ms ('${WORKER_ENV.alertTimeoutMs}').`,
        );
      }
      throw new Error(
        `The alert webhook could not be reached: ${redactSecrets(error.message, [url])}`,
      );
    });
    const body = await response.text().catch(() => "");
    if (response.status >= 300 && response.status < 400) {
      throw new Error(
        `The alert webhook answered ${response.status} ${response.statusText}, a redirect, which is not followed: set '${WORKER_ENV.alertWebhookUrl}' to the receiver's final URL.`,
      );
    }
    if (!response.ok) {
      const excerpt = redactSecrets(body.slice(0, MAX_BODY_EXCERPT), [url]);
      throw new Error(
        `The alert webhook answered ${response.status} ${response.statusText}: ${JSON.stringify(excerpt)}.`,
      );
    }
    context.log("alert delivered", {
      check: alert.check,
      state: alert.state,
      status: response.status,
    });
  };
}

const STRING_FIELDS = [
  "dedupKey",
  "check",
  "title",
  "subject",
  "severity",
  "unit",
  "runbook",
  "database",
  "at",
] as const;
const NUMBER_FIELDS = ["value", "warn", "critical"] as const;

/** Checks the payload has ops.evaluate_alerts' shape, listing every problem at once. */
export function validateAlertPayload(payload: unknown): AlertPayload {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw new Error(
      `Invalid alert payload: expected a JSON object; found ${JSON.stringify(payload)}.`,
    );
  }
  const record = payload as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of STRING_FIELDS) {
    if (typeof record[key] !== "string")
      problems.push(`'${key}' must be a string; found ${JSON.stringify(record[key])}.`);
  }
  for (const key of NUMBER_FIELDS) {
    const value = record[key];
    if (value !== null && typeof value !== "number")
      problems.push(`'${key}' must be a number or null; found ${JSON.stringify(value)}.`);
  }
  if (record.state !== "firing" && record.state !== "resolved") {
    problems.push(`'state' must be "firing" or "resolved"; found ${JSON.stringify(record.state)}.`);
  }
  if (problems.length > 0) {
    throw new Error(`Invalid alert payload:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return record as unknown as AlertPayload;
}
