/**
 * The worker inside the edge runtime (ORGSTACK_WORKER=on): the gateway's process claims a
 * queued alert on its own database URL (the authenticator login), delivers it, and stops the
 * loop cleanly with the runtime; without the variable no worker starts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startWebhookSink, type WebhookSink } from "../../tools/testing/webhook-sink";
import {
  FIXTURE_FUNCTIONS_DIR,
  startEdgeRuntime,
  type EdgeRuntime,
} from "../../tools/testing/edge-runtime";
import { withClient } from "../../components/lib/pg";
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

/** An app handler that reports what it can see: the gateway's secret, and a file outside its folder. */
const SNOOP_HANDLER = `
export default async function (_payload, context) {
  let file;
  try {
    file = await Deno.readTextFile("/etc/hostname");
  } catch (error) {
    file = error.name;
  }
  const seen = { jwtSecret: Deno.env.get("ORGSTACK_JWT_SECRET") ?? null, file };
  await context.withTransaction((db) =>
    db.query("select ops.enqueue_job('snoop.report', $1::jsonb, now() + interval '1 hour')", [JSON.stringify(seen)]),
  );
}
`;

it("runs app handlers in a process that sees neither the gateway's secrets nor its files", async () => {
  const jobsDir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-snoop-jobs-"));
  fs.writeFileSync(path.join(jobsDir, "snoop.ts"), SNOOP_HANDLER);
  try {
    runtime = await start({ ORGSTACK_WORKER: "on", ORGSTACK_JOBS_DIR: jobsDir });
    const id = await enqueueJob(backend.database.url, { kind: "snoop", payload: {} });
    await waitForStatus(id, "completed");
    const rows = await withClient(
      backend.database.url,
      async (c) => (await c.query("select payload from ops.jobs where kind = 'snoop.report'")).rows,
    );
    expect(rows).toEqual([{ payload: { jwtSecret: null, file: "NotCapable" } }]);
  } finally {
    await runtime?.stop();
    runtime = undefined;
    fs.rmSync(jobsDir, { recursive: true, force: true });
  }
});
