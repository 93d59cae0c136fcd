import { assertEquals, assertThrowsMessage } from "../../tests/_assert.ts";
import { isWorkerEnabled, readWorkerConfig } from "../config.ts";
import { redactSecrets } from "../redact.ts";

Deno.test("readWorkerConfig lists every bad variable and never shows the webhook URL", () => {
  assertThrowsMessage(
    () =>
      readWorkerConfig({
        ORGSTACK_WORKER_CONCURRENCY: "0",
        ORGSTACK_WORKER_POLL_MS: "soon",
        ORGSTACK_ALERT_WEBHOOK_URL: "hooks/secret-token",
      }),
    [
      "Invalid worker environment:",
      `  - 'ORGSTACK_WORKER_CONCURRENCY' is "0". Use a whole number from 1 to 64.`,
      `  - 'ORGSTACK_WORKER_POLL_MS' is "soon". Use a whole number from 10 to 60000.`,
      "  - 'ORGSTACK_ALERT_WEBHOOK_URL' is not an http(s) URL (value hidden: it is a secret).",
    ].join("\n"),
  );
});

Deno.test("readWorkerConfig defaults", () => {
  assertEquals(readWorkerConfig({}), {
    concurrency: 4,
    pollMs: 1000,
    jobTimeoutMs: 60000,
    backoffMs: 10000,
    alertTimeoutMs: 10000,
    jobsDir: undefined,
    alertWebhookUrl: undefined,
  });
});

Deno.test("ORGSTACK_WORKER turns the runtime's worker on with on, true or 1 only", () => {
  const values = ["on", "ON", "true", "1", "off", "0", "", undefined];
  assertEquals(
    values.map((value) => isWorkerEnabled({ ORGSTACK_WORKER: value })),
    [true, true, true, true, false, false, false, false],
  );
});

Deno.test("redactSecrets removes a URL as written, normalized, its path and a password", () => {
  const hook = "https://hooks.example.test/services/T1/B2/abc123";
  const db = "postgres://authenticator:p%40ss@db:5432/app";
  assertEquals(
    [
      redactSecrets(`error sending request for url (${hook}): refused`, [hook, db]),
      redactSecrets("POST /services/T1/B2/abc123 failed", [hook]),
      redactSecrets("password p@ss rejected for authenticator", [hook, db]),
      redactSecrets("nothing secret", [undefined, ""]),
    ],
    [
      "error sending request for url ([redacted]): refused",
      "POST [redacted] failed",
      "password [redacted] rejected for authenticator",
      "nothing secret",
    ],
  );
});
