import { z } from "zod";
import { CONFIG_NAMESPACE } from "./keys";

/**
 * The monitoring part of the configuration: `orgstack:alertWebhookUrl`, where the job worker
 * posts alerts (Slack-compatible JSON). A secret: a Slack incoming-webhook URL is its own
 * credential, so it is set with `pulumi config set --secret` and never printed.
 */

export const ALERT_WEBHOOK_URL_KEY = "alertWebhookUrl";

export const MONITORING_SHAPE = {
  [ALERT_WEBHOOK_URL_KEY]: z.string().min(1).optional(),
};

export interface ParsedMonitoringPart {
  readonly alertWebhookUrl?: string;
}

/** The validated monitoring settings. Plain values only; secrets are marked where used. */
export interface MonitoringConfig {
  /** Present when alerts are delivered; never printed. */
  readonly alertWebhookUrl?: string;
}

/** Checks the webhook URL without ever showing it. */
export function completeMonitoringConfig(parsed: ParsedMonitoringPart): {
  config: MonitoringConfig;
  problems: string[];
} {
  const url = parsed.alertWebhookUrl;
  const key = `'${CONFIG_NAMESPACE}:${ALERT_WEBHOOK_URL_KEY}'`;
  const problems =
    url === undefined || /^https?:$/.test(URL.canParse(url) ? new URL(url).protocol : "")
      ? []
      : [
          `${key} is not an http(s) URL (value hidden: it is a secret). Set the webhook's URL, such as a Slack incoming webhook.`,
        ];
  return { config: { alertWebhookUrl: url }, problems };
}
