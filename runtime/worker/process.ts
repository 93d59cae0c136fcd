import { writeLog } from "../log.ts";
import {
  isWorkerEnabled,
  readWorkerConfig,
  WORKER_ENV,
  WORKER_SETTING_VARIABLES,
} from "./config.ts";

/**
 * The edge runtime's worker (ORGSTACK_WORKER=on) runs as a child Deno process, as every
 * function does: the gateway holds the JWT secret and runs with --allow-all, and app job
 * handlers must see neither. The child may reach only the database and the webhook, read only
 * the jobs folder, and sees only the worker's variables. If it dies it is started again.
 */

const MAIN = new URL("./main.ts", import.meta.url).pathname;
const DENO_CONFIG = new URL("../deno.json", import.meta.url).pathname;
/** A crashing worker is restarted, at most this often. */
const RESTART_DELAY_MS = 5_000;

export interface WorkerProcess {
  /** SIGTERM, then waits for the worker to record its running jobs and exit. */
  stop(): Promise<void>;
}

/** The child's command line and environment: pure, so the permissions can be tested. */
export function getWorkerCommand(
  env: Readonly<Record<string, string | undefined>>,
  databaseUrl: string,
): { args: string[]; env: Record<string, string> } {
  const config = readWorkerConfig(env);
  const database = new URL(databaseUrl);
  const hosts = [`${database.hostname}:${database.port || 5432}`];
  if (config.alertWebhookUrl) hosts.push(new URL(config.alertWebhookUrl).host);
  const passed = WORKER_SETTING_VARIABLES.filter(
    (name) => env[name] !== undefined && env[name] !== "",
  );
  return {
    args: [
      "run",
      "--no-prompt",
      `--config=${DENO_CONFIG}`,
      `--allow-net=${[...new Set(hosts)].join(",")}`,
      "--allow-env",
      ...(config.jobsDir ? [`--allow-read=${config.jobsDir}`] : []),
      MAIN,
    ],
    env: {
      ...Object.fromEntries(passed.map((name) => [name, env[name] as string])),
      ...(config.jobsDir ? { [WORKER_ENV.jobsDir]: config.jobsDir } : {}),
      ORGSTACK_DATABASE_URL: databaseUrl,
      NO_COLOR: "1",
      ...(env.HOME ? { HOME: env.HOME } : {}),
      ...(env.DENO_DIR ? { DENO_DIR: env.DENO_DIR } : {}),
    },
  };
}

/** Starts the worker process when ORGSTACK_WORKER is on; null when off. */
export function startWorkerProcess(
  env: Readonly<Record<string, string | undefined>>,
  databaseUrl: string | undefined,
): WorkerProcess | null {
  if (!isWorkerEnabled(env)) return null;
  if (!databaseUrl) {
    throw new Error(
      `'${WORKER_ENV.enabled}' is on but 'ORGSTACK_DATABASE_URL' is not set: the worker claims jobs from the stack's database. Set it, or turn the worker off.`,
    );
  }
  const command = getWorkerCommand(env, databaseUrl);
  let stopping = false;
  let child = spawn(command);
  const supervise = async (): Promise<void> => {
    while (!stopping) {
      const status = await child.status;
      if (stopping) return;
      writeLog({ level: "error", msg: "worker exited; restarting", code: status.code });
      await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
      if (!stopping) child = spawn(command);
    }
  };
  const supervised = supervise();
  return {
    stop: async () => {
      stopping = true;
      try {
        child.kill("SIGTERM");
      } catch {
        // Already exited.
      }
      await child.status;
      await supervised;
    },
  };
}

function spawn(command: { args: string[]; env: Record<string, string> }): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: command.args,
    env: command.env,
    clearEnv: true,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
}
