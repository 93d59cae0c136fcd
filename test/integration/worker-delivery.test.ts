/**
 * alert.deliver through the real worker (Deno, started as `npm run worker -- --once` starts it)
 * against a deployed backend and a local webhook sink: the Slack-compatible body, retries with
 * the queue's backoff (0 here, so one --once run drains them), the dead letter, a timeout, a
 * missing URL, and the URL kept out of ops.jobs.last_error and the logs.
 */
import { startWebhookSink, type WebhookSink } from "../../tools/testing/webhook-sink";
import {
  createWorkerBackend,
  enqueueJob,
  readJob,
  runWorker,
  type WorkerBackend,
} from "./worker-fixtures";

const ALERT = {
  dedupKey: "blocked_locks:orgstack_worker",
  check: "blocked_locks",
  title: "Blocked locks",
  subject: "2 sessions wait on a lock",
  state: "firing",
  severity: "warning",
  value: 2,
  warn: 1,
  critical: 5,
  unit: "sessions",
  runbook: "Find the blocker with pg_blocking_pids() and end it if it is stuck.",
  database: "orgstack_worker",
  at: "2026-11-26T18:00:00Z",
};

let backend: WorkerBackend;
let sink: WebhookSink;

beforeAll(async () => {
  [backend, sink] = await Promise.all([createWorkerBackend(), startWebhookSink()]);
});
afterAll(async () => {
  await sink?.close();
  await backend?.drop();
});
beforeEach(() => {
  sink.requests.length = 0;
  sink.plan([], { status: 200, body: "ok" });
});

function deliver(env: Record<string, string> = {}) {
  return runWorker({
    databaseUrl: backend.authenticatorUrl,
    env: { ORGSTACK_ALERT_WEBHOOK_URL: sink.url, ORGSTACK_WORKER_BACKOFF_MS: "0", ...env },
  });
}

it("posts a queued alert to the webhook as Slack-compatible JSON and completes the job", async () => {
  const id = await enqueueJob(backend.database.url, { kind: "alert.deliver", payload: ALERT });
  const run = await deliver();
  expect(run.code).toBe(0);
  expect(await readJob(backend.database.url, id)).toEqual({
    status: "completed",
    attempts: 1,
    last_error: null,
  });
  expect(sink.requests).toHaveLength(1);
  const [request] = sink.requests;
  expect([request.method, request.path, request.headers["content-type"]]).toEqual([
    "POST",
    "/services/T0000/B0000/sink-secret-token",
    "application/json",
  ]);
  const text = "[WARNING] Blocked locks: 2 sessions wait on a lock (orgstack_worker)";
  expect(JSON.parse(request.body)).toEqual({
    text,
    attachments: [
      {
        color: "#ecb22e",
        fallback: text,
        blocks: [
          { type: "section", text: { type: "mrkdwn", text: `*${text}*` } },
          {
            type: "section",
            fields: [
              { type: "mrkdwn", text: "*Check*\n`blocked_locks`" },
              { type: "mrkdwn", text: "*Value*\n2 sessions" },
              { type: "mrkdwn", text: "*Thresholds*\nwarn 1 sessions · critical 5 sessions" },
              { type: "mrkdwn", text: "*Database*\norgstack_worker" },
            ],
          },
          {
            type: "section",
            text: {
              type: "mrkdwn",
              text: "*Runbook*\nFind the blocker with pg_blocking_pids() and end it if it is stuck.",
            },
          },
          {
            type: "context",
            elements: [
              {
                type: "mrkdwn",
                text: "firing at 2026-11-26T18:00:00Z · blocked_locks:orgstack_worker",
              },
            ],
          },
        ],
      },
    ],
  });
});

it("retries after the webhook fails twice: three attempts, then completed", async () => {
  sink.plan([
    { status: 500, body: "oops" },
    { status: 503, body: "busy" },
  ]);
  const id = await enqueueJob(backend.database.url, {
    kind: "alert.deliver",
    payload: { ...ALERT, state: "resolved" },
  });
  expect((await deliver()).code).toBe(0);
  expect(sink.requests).toHaveLength(3);
  expect(await readJob(backend.database.url, id)).toEqual({
    status: "completed",
    attempts: 3,
    last_error: 'The alert webhook answered 503 Service Unavailable: "busy".',
  });
  expect(JSON.parse(sink.requests[2].body).attachments[0].color).toBe("#2eb67d");
});

it("dead-letters a job the webhook always refuses, without the URL in last_error or logs", async () => {
  sink.plan([], { status: 500, body: `no route for ${sink.url}` });
  const id = await enqueueJob(backend.database.url, {
    kind: "alert.deliver",
    payload: ALERT,
    maxAttempts: 3,
  });
  const run = await deliver();
  expect(sink.requests).toHaveLength(3);
  const job = await readJob(backend.database.url, id);
  expect(job).toEqual({
    status: "dead",
    attempts: 3,
    last_error: 'The alert webhook answered 500 Internal Server Error: "no route for [redacted]".',
  });
  const everything = `${run.stdout}${run.stderr}${job.last_error}`;
  expect(everything).not.toContain("sink-secret-token");
  expect(everything).toContain('"msg":"job dead"');
});

it("fails an attempt the webhook does not answer within the timeout", async () => {
  sink.plan(["hang"]);
  const id = await enqueueJob(backend.database.url, {
    kind: "alert.deliver",
    payload: ALERT,
    maxAttempts: 1,
  });
  await deliver({ ORGSTACK_ALERT_WEBHOOK_TIMEOUT_MS: "300" });
  expect(await readJob(backend.database.url, id)).toEqual({
    status: "dead",
    attempts: 1,
    last_error:
      "The alert webhook did not answer within 300 ms ('ORGSTACK_ALERT_WEBHOOK_TIMEOUT_MS').",
  });
});

it("fails with the variable to set when no webhook URL is configured", async () => {
  const id = await enqueueJob(backend.database.url, {
    kind: "alert.deliver",
    payload: ALERT,
    maxAttempts: 1,
  });
  const run = await runWorker({ databaseUrl: backend.authenticatorUrl });
  expect(run.code).toBe(0);
  expect(sink.requests).toHaveLength(0);
  expect(await readJob(backend.database.url, id)).toEqual({
    status: "dead",
    attempts: 1,
    last_error:
      "'ORGSTACK_ALERT_WEBHOOK_URL' is not set in the worker's environment: set it to a Slack-compatible incoming webhook URL to deliver alerts.",
  });
});
