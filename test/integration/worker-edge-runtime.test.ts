/**
 * The worker inside the edge runtime (ORGSTACK_WORKER=on): the gateway's process claims a
 * queued alert on its own database URL (the authenticator login), delivers it, and stops the
 * loop cleanly with the runtime; without the variable no worker starts.
 */
import { startWebhookSink, type WebhookSink } from "../../tools/testing/webhook-sink";
import {
  FIXTURE_FUNCTIONS_DIR,
  startEdgeRuntime,
  type EdgeRuntime,
} from "../../tools/testing/edge-runtime";
import { createWorkerBackend, enqueueJob, readJob, type WorkerBackend } from "./worker-fixtures";

const SECRET = "worker-edge-runtime-test-secret-0123456789";

let backend: WorkerBackend;
let sink: WebhookSink;
let runtime: EdgeRuntime | undefined;
const logs: string[] = [];

beforeAll(async () => {
  [backend, sink] = await Promise.all([createWorkerBackend(), startWebhookSink()]);
});
afterAll(async () => {
  await runtime?.stop();
  await sink?.close();
  await backend?.drop();
});

function start(env: Record<string, string>): Promise<EdgeRuntime> {
  return startEdgeRuntime({
    functionsDir: FIXTURE_FUNCTIONS_DIR,
    functions: { echo: { auth: "none" } },
    jwtSecret: SECRET,
    databaseUrl: backend.authenticatorUrl,
    env: { ORGSTACK_ALERT_WEBHOOK_URL: sink.url, ORGSTACK_WORKER_POLL_MS: "50", ...env },
    onLog: (line) => logs.push(line),
  });
}

async function waitForStatus(id: string, status: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await readJob(backend.database.url, id)).status !== status) {
    if (Date.now() > deadline) throw new Error(`Job ${id} did not become ${status} in 10 s.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it("drains a queued alert from inside the runtime, then stops with it", async () => {
  runtime = await start({ ORGSTACK_WORKER: "on" });
  const id = await enqueueJob(backend.database.url, {
    kind: "alert.deliver",
    payload: {
      dedupKey: "dead_jobs:db",
      check: "dead_jobs",
      title: "Dead jobs",
      subject: "1 job in the dead letter",
      state: "firing",
      severity: "critical",
      value: 1,
      warn: null,
      critical: 1,
      unit: "jobs",
      runbook: "Read ops.jobs.last_error.",
      database: "db",
      at: "2026-11-26T18:00:00Z",
    },
  });
  await waitForStatus(id, "completed");
  expect(sink.requests).toHaveLength(1);
  expect(JSON.parse(sink.requests[0].body).text).toBe(
    "[CRITICAL] Dead jobs: 1 job in the dead letter (db)",
  );
  // The function side still serves beside the worker.
  expect((await fetch(`${runtime.url}/functions/v1/echo`, { method: "POST" })).status).toBe(200);
  await runtime.stop();
  runtime = undefined;
  const messages = logs.map((line) => JSON.parse(line).msg);
  expect(messages).toEqual(
    expect.arrayContaining(["worker started", "job completed", "worker stopped"]),
  );
  expect(logs.join("\n")).not.toContain("sink-secret-token");
});

it("starts no worker without ORGSTACK_WORKER", async () => {
  logs.length = 0;
  runtime = await start({});
  const id = await enqueueJob(backend.database.url, { kind: "alert.deliver", payload: {} });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await readJob(backend.database.url, id)).toEqual({
    status: "queued",
    attempts: 0,
    last_error: null,
  });
  expect(logs.map((line) => JSON.parse(line).msg)).not.toContain("worker started");
});
