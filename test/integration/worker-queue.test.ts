/**
 * The standalone worker on a real queue: two workers never run one job twice, an unknown kind
 * ends dead with its message, app handlers load from a jobs folder (one writes through the
 * context's service_role transaction), and a bad folder stops the worker before it claims.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { withClient } from "../../components/lib/pg";
import { startWebhookSink, type WebhookSink } from "../../tools/testing/webhook-sink";
import {
  createWorkerBackend,
  enqueueJob,
  readJob,
  runWorker,
  type WorkerBackend,
} from "./worker-fixtures";

/** Posts the job id and the worker's pid to the sink, so the test counts runs per job. */
const RECORD_HANDLER = `
export default async function (payload, context) {
  await new Promise((resolve) => setTimeout(resolve, 10));
  const response = await fetch(Deno.env.get("SINK_URL"), {
    method: "POST",
    body: JSON.stringify({ job: context.job.id, n: payload.n, pid: Deno.pid }),
    signal: context.signal,
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error("sink refused");
}
`;
/** Queues a follow-up an hour away, in the context's transaction as service_role. */
const FOLLOWUP_HANDLER = `
export default async function (payload, context) {
  await context.withTransaction((client) =>
    client.query("select ops.enqueue_job('followup.later', $1::jsonb, now() + interval '1 hour')", [
      JSON.stringify({ after: context.job.id, note: payload.note }),
    ]),
  );
}
`;

let backend: WorkerBackend;
let sink: WebhookSink;
let jobsDir: string;

function work(args: string[] = []) {
  return runWorker({
    databaseUrl: backend.authenticatorUrl,
    args: [
      "--jobs-dir",
      jobsDir,
      "--env",
      "SINK_URL",
      "--allow-host",
      new URL(sink.url).host,
      ...args,
    ],
    env: { SINK_URL: sink.url, ORGSTACK_WORKER_BACKOFF_MS: "0" },
  });
}

beforeAll(async () => {
  [backend, sink] = await Promise.all([createWorkerBackend(), startWebhookSink()]);
  jobsDir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-jobs-"));
  fs.writeFileSync(path.join(jobsDir, "record.ts"), RECORD_HANDLER);
  fs.writeFileSync(path.join(jobsDir, "followup.ts"), FOLLOWUP_HANDLER);
  fs.writeFileSync(path.join(jobsDir, "_shared.ts"), "export const notAHandler = 1;\n");
});
afterAll(async () => {
  fs.rmSync(jobsDir, { recursive: true, force: true });
  await sink?.close();
  await backend?.drop();
});

it("runs each of 50 jobs exactly once with two workers on the same queue", async () => {
  await withClient(backend.database.url, async (client) => {
    await client.query("set role service_role");
    await client.query(
      "select ops.enqueue_job('record', jsonb_build_object('n', n)) from generate_series(1, 50) n",
    );
  });
  const runs = await Promise.all([work(), work()]);
  expect(runs.map((run) => run.code)).toEqual([0, 0]);
  const posted = sink.requests.map((r) => JSON.parse(r.body) as { n: number; pid: number });
  expect(posted.map((p) => p.n).sort((a, b) => a - b)).toEqual(
    Array.from({ length: 50 }, (_, i) => i + 1),
  );
  expect(new Set(posted.map((p) => p.pid)).size).toBe(2);
  const { rows } = await withClient(backend.database.url, (client) =>
    client.query(
      "select status, attempts, count(*)::int as jobs from ops.jobs where kind = 'record' group by 1, 2",
    ),
  );
  expect(rows).toEqual([{ status: "completed", attempts: 1, jobs: 50 }]);
});

it("fails a job of an unknown kind with its message until it is dead", async () => {
  const id = await enqueueJob(backend.database.url, { kind: "nobody.handles", maxAttempts: 2 });
  await work();
  expect(await readJob(backend.database.url, id)).toEqual({
    status: "dead",
    attempts: 2,
    last_error:
      "No handler for kind 'nobody.handles'. Known kinds: alert.deliver, followup, record. Add jobs/nobody.handles.ts (ORGSTACK_JOBS_DIR) exporting a default function.",
  });
});

it("runs an app handler from the jobs folder, writing through its service_role transaction", async () => {
  const id = await enqueueJob(backend.database.url, {
    kind: "followup",
    payload: { note: "welcome email" },
  });
  await work();
  expect(await readJob(backend.database.url, id)).toEqual({
    status: "completed",
    attempts: 1,
    last_error: null,
  });
  const { rows } = await withClient(backend.database.url, (client) =>
    client.query(
      "select payload, status, run_at > now() + interval '50 minutes' as later from ops.jobs where kind = 'followup.later'",
    ),
  );
  expect(rows).toEqual([
    { payload: { after: id, note: "welcome email" }, status: "queued", later: true },
  ]);
});

it("refuses a jobs folder with a bad handler before claiming anything, listing every problem", async () => {
  const badDir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-bad-jobs-"));
  fs.writeFileSync(path.join(badDir, "no-default.ts"), "export const run = () => {};\n");
  fs.writeFileSync(path.join(badDir, "Bad Name.ts"), "export default () => {};\n");
  fs.writeFileSync(path.join(badDir, "alert.deliver.ts"), "export default () => {};\n");
  const id = await enqueueJob(backend.database.url, { kind: "record", payload: { n: 0 } });
  const run = await runWorker({
    databaseUrl: backend.authenticatorUrl,
    args: ["--jobs-dir", badDir],
  });
  fs.rmSync(badDir, { recursive: true, force: true });
  expect(run.code).toBe(1);
  expect(run.stderr.trim()).toBe(
    [
      "Error: Invalid job handlers:",
      `  - '${badDir}/Bad Name.ts': the kind "Bad Name" must be 1-100 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit.`,
      `  - '${badDir}/alert.deliver.ts': "alert.deliver" is a built-in kind; rename the file.`,
      `  - '${badDir}/no-default.ts' has no default export function; export default async function (payload, context) {...}.`,
    ].join("\n"),
  );
  expect(await readJob(backend.database.url, id)).toEqual({
    status: "queued",
    attempts: 0,
    last_error: null,
  });
});
