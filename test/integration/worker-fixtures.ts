/**
 * What the worker suites share: a deployed backend with the stack's authenticator login (the
 * login the worker connects with, switching to service_role), jobs queued and read back, and
 * the standalone worker run exactly as `npm run worker` runs it (scripts/worker.ts's deno
 * command, permissions and cleared environment).
 */
import { spawn } from "child_process";
import { withClient } from "../../components/lib/pg";
import { getWorkerLaunch } from "../../scripts/worker";
import { createFunctionsBackend, type FunctionsBackend } from "./functions-fixtures";

/** A deployed backend and the authenticator's URL, password included: what the worker gets. */
export type WorkerBackend = FunctionsBackend;

export function createWorkerBackend(): Promise<WorkerBackend> {
  return createFunctionsBackend("orgstack_worker");
}

/** Queues a job as service_role, as app code would; returns its id. */
export async function enqueueJob(
  url: string,
  job: { kind: string; payload?: unknown; maxAttempts?: number },
): Promise<string> {
  return withClient(url, async (client) => {
    await client.query("set role service_role");
    const { rows } = await client.query(
      "select ops.enqueue_job($1, $2::jsonb, now(), $3)::text as id",
      [job.kind, JSON.stringify(job.payload ?? {}), job.maxAttempts ?? 5],
    );
    return rows[0].id as string;
  });
}

export interface JobRow {
  readonly status: string;
  readonly attempts: number;
  readonly last_error: string | null;
}

export async function readJob(url: string, id: string): Promise<JobRow> {
  const { rows } = await withClient(url, (client) =>
    client.query("select status, attempts, last_error from ops.jobs where id = $1", [id]),
  );
  return rows[0] as JobRow;
}

export interface WorkerRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run worker -- --stack test [--once] <args>` as the launcher would, to its exit. */
export function runWorker(options: {
  readonly databaseUrl: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}): Promise<WorkerRun> {
  const launch = getWorkerLaunch(
    ["--stack", "test", "--once", ...(options.args ?? [])],
    { HOME: process.env.HOME, ORGSTACK_DATABASE_URL: options.databaseUrl, ...options.env },
    process.cwd(),
  );
  const child = spawn(launch.command, launch.args, { env: launch.env });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}
