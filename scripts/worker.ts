/**
 * Runs the job worker (runtime/worker, Deno) against a stack's database, for stacks without an
 * edge runtime or with ORGSTACK_WORKER off there:
 *
 *   PGPASSWORD=... npm run worker -- --stack pr-42 --database-url postgres://authenticator@db:5432/app_pr_42 [--once]
 *
 * The URL may come from ORGSTACK_DATABASE_URL instead, its password from PGPASSWORD (never argv).
 * Deno gets the narrowest permissions that work: network to the database, the alert webhook and
 * any --allow-host; reads of the jobs folder only; an environment cleared to the worker's
 * variables and those named by --env. --once drains the due jobs and exits (tests, cron).
 * Exit 0 when drained or stopped, 1 on a failure, 2 on bad flags.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BackupCliError, checkStack, getDatabaseUrl, readFlags } from "../components/backup/cli";
import { WORKER_SETTING_VARIABLES } from "../runtime/worker/config";

const ROOT = path.resolve(__dirname, "..");
const DENO = path.join(ROOT, "node_modules/.bin/deno");
const USAGE =
  "Usage: npm run worker -- --stack <stack> [--database-url <url>] [--once] [--jobs-dir <dir>] [--allow-host <host[:port]>,...] [--env <NAME>,...]";

const NAME_LIST = /^[A-Za-z_][A-Za-z0-9_]*(,[A-Za-z_][A-Za-z0-9_]*)*$/;
const HOST_LIST = /^[A-Za-z0-9.\-[\]:]+(,[A-Za-z0-9.\-[\]:]+)*$/;

export interface WorkerLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** What the flags and environment ask for, checked. */
interface WorkerRequest {
  readonly url: string;
  readonly once: boolean;
  readonly jobsDir?: string;
  readonly webhook?: string;
  readonly extraHosts: readonly string[];
  readonly extraNames: readonly string[];
}

/** Every flag checked, every problem listed at once; then the deno command that runs the worker. */
export function getWorkerLaunch(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): WorkerLaunch {
  const request = readWorkerRequest(argv, env, cwd);
  const database = new URL(request.url);
  const hosts = [
    `${database.hostname}:${database.port || 5432}`,
    ...(request.webhook ? [new URL(request.webhook).host] : []),
    ...request.extraHosts,
  ];
  const passed = [...WORKER_SETTING_VARIABLES, ...request.extraNames].filter(
    (n) => env[n] !== undefined,
  );
  const { jobsDir } = request;
  return {
    command: DENO,
    args: [
      "run",
      "--no-prompt",
      `--config=${path.join(ROOT, "runtime/deno.json")}`,
      `--allow-net=${[...new Set(hosts)].join(",")}`,
      "--allow-env",
      ...(jobsDir ? [`--allow-read=${jobsDir}`] : []),
      path.join(ROOT, "runtime/worker/main.ts"),
      ...(request.once ? ["--once"] : []),
    ],
    // Cleared to what the worker needs, so --allow-env reveals nothing else.
    env: {
      ...Object.fromEntries(passed.map((name) => [name, env[name] as string])),
      ORGSTACK_DATABASE_URL: request.url,
      ...(jobsDir ? { ORGSTACK_JOBS_DIR: jobsDir } : {}),
      HOME: env.HOME ?? "/tmp",
      NO_COLOR: "1",
      ...(env.DENO_DIR ? { DENO_DIR: env.DENO_DIR } : {}),
    },
  };
}

function readWorkerRequest(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): WorkerRequest {
  const problems: string[] = [];
  const flags = readFlags(
    argv,
    { values: ["stack", "database-url", "jobs-dir", "allow-host", "env"], booleans: ["once"] },
    problems,
  );
  checkStack(flags, problems);
  const url = getDatabaseUrl(flags, env, problems);
  const jobsDir = getJobsDir(flags["jobs-dir"], cwd, problems);
  const hostsAllowed = "hosts such as api.example.com or 10.0.0.5:8443";
  const extraHosts = getList(
    flags["allow-host"],
    "--allow-host",
    HOST_LIST,
    hostsAllowed,
    problems,
  );
  const namesAllowed = "variable names such as STRIPE_KEY";
  const extraNames = getList(flags.env, "--env", NAME_LIST, namesAllowed, problems);
  const webhook = env.ORGSTACK_ALERT_WEBHOOK_URL || undefined;
  if (webhook && !URL.canParse(webhook)) {
    problems.push("'ORGSTACK_ALERT_WEBHOOK_URL' is not a URL (value hidden: it is a secret).");
  }
  BackupCliError.throwIfAny(`Invalid arguments. ${USAGE}`, problems);
  return { url, once: flags.once === true, jobsDir, webhook, extraHosts, extraNames };
}

/** --jobs-dir, or ./jobs when it exists (the app's handlers beside functions/), or none. */
function getJobsDir(
  flag: string | true | undefined,
  cwd: string,
  problems: string[],
): string | undefined {
  if (typeof flag === "string") {
    const dir = path.resolve(cwd, flag);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      problems.push(
        `'--jobs-dir': "${flag}" is not a folder. Give the folder of <kind>.ts handlers.`,
      );
    }
    return dir;
  }
  const fallback = path.join(cwd, "jobs");
  return fs.existsSync(fallback) && fs.statSync(fallback).isDirectory() ? fallback : undefined;
}

function getList(
  flag: string | true | undefined,
  name: string,
  pattern: RegExp,
  allowed: string,
  problems: string[],
): string[] {
  if (typeof flag !== "string") return [];
  if (!pattern.test(flag))
    problems.push(`'${name}': expected a comma-separated list of ${allowed}; found "${flag}".`);
  return flag.split(",");
}

function main(): void {
  let launch: WorkerLaunch;
  try {
    launch = getWorkerLaunch(process.argv.slice(2), process.env, process.cwd());
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = error instanceof BackupCliError ? 2 : 1;
    return;
  }
  const child = spawn(launch.command, launch.args, { env: launch.env, stdio: "inherit" });
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => (process.exitCode = code ?? (signal ? 1 : 0)));
}

if (require.main === module) main();
