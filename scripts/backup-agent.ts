/**
 * The backup agent a container-mode stack's backup container runs (bundled into one file by
 * components/backup/agent-bundle.ts):
 *
 *   node backup-agent.js run            the jobs on their schedules, until SIGTERM
 *   node backup-agent.js once <job>     one job now: backup (then its drill), full or diff
 *   node backup-agent.js restore --stack <name> --to-time <timestamp> [--from <label>] [--force]
 *                                       point-in-time restore, with PostgreSQL stopped (docs/backups.md)
 *
 * Settings come from ORGSTACK_BACKUP_AGENT_SETTINGS (JSON), the URLs from
 * ORGSTACK_BACKUP_DATABASE_URL and ORGSTACK_ADMIN_DATABASE_URL, the archive key from
 * ORGSTACK_BACKUP_KEY and the repository's from PGBACKREST_REPO1_CIPHER_PASS: never argv.
 * Exit 0 done, 1 a job failed, 2 bad arguments or environment.
 */
import { execFile } from "child_process";
import { promisify } from "util";
import {
  AGENT_JOB_NAMES,
  getAgentJobs,
  prepareAgent,
  runAgent,
  runJob,
  type BackupAgentContext,
} from "../components/backup/agent";
import {
  ADMIN_URL_ENV,
  BACKUP_AGENT_SETTINGS_ENV,
  BACKUP_URL_ENV,
  type BackupAgentSettings,
} from "../components/backup/agent-settings";
import { BackupCliError } from "../components/backup/cli";
import { runPitrRestore } from "../components/backup/pitr-restore";
import { ENCRYPTION_KEY_ENV } from "../components/backup/processes";
import { parsePitrRestoreArgs } from "../components/backup/pitr-restore-args";

const USAGE = `Usage: backup-agent run | once <${AGENT_JOB_NAMES.join("|")}> | restore --to-time <timestamp> ...`;

/** pgBackRest as the agent's own user (postgres in the image), its stdout returned. */
async function runPgbackrest(argv: readonly string[]): Promise<string> {
  const [file, ...args] = argv;
  const { stdout } = await promisify(execFile)(file, args, {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

export function parseAgentArgs(argv: readonly string[], env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const [command, job, ...rest] = argv;
  if (command !== "run" && command !== "once") {
    problems.push(`expected the command 'run' or 'once'; found ${JSON.stringify(command ?? "")}.`);
  } else if (command === "once" && !AGENT_JOB_NAMES.includes(job as never)) {
    problems.push(
      `'once' takes one of ${AGENT_JOB_NAMES.join(", ")}; found ${JSON.stringify(job ?? "")}.`,
    );
  }
  if (rest.length > 0 || (command === "run" && job !== undefined)) {
    problems.push(
      `unexpected arguments: ${JSON.stringify([...(command === "run" ? [job] : []), ...rest])}.`,
    );
  }
  const settings = readSettings(env[BACKUP_AGENT_SETTINGS_ENV], problems);
  for (const name of [BACKUP_URL_ENV, ADMIN_URL_ENV]) {
    if (!env[name]) problems.push(`${name} is not set: the container's environment provides it.`);
  }
  if (settings?.pitr?.encrypted && !env.PGBACKREST_REPO1_CIPHER_PASS) {
    problems.push("PGBACKREST_REPO1_CIPHER_PASS is not set, and the repository is encrypted.");
  }
  BackupCliError.throwIfAny(`Invalid arguments or environment. ${USAGE}`, problems);
  return { command: command as "run" | "once", job, settings: settings! };
}

function readSettings(
  text: string | undefined,
  problems: string[],
): BackupAgentSettings | undefined {
  if (!text) {
    problems.push(
      `${BACKUP_AGENT_SETTINGS_ENV} is not set: the container's environment provides it.`,
    );
    return undefined;
  }
  try {
    const settings = JSON.parse(text) as BackupAgentSettings;
    if (typeof settings.stack === "string" && typeof settings.logical?.schedule === "string")
      return settings;
  } catch {
    // Reported below, with what was expected.
  }
  problems.push(
    `${BACKUP_AGENT_SETTINGS_ENV} is not the JSON the Backups component writes ({ stack, logical, pitr? }).`,
  );
  return undefined;
}

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  try {
    if (process.argv[2] === "restore") {
      await runPitrRestore(parsePitrRestoreArgs(process.argv.slice(3)), { log });
      return;
    }
    const { command, job, settings } = parseAgentArgs(process.argv.slice(2), process.env);
    const context: BackupAgentContext = {
      settings,
      backupUrl: process.env[BACKUP_URL_ENV]!,
      adminUrl: process.env[ADMIN_URL_ENV]!,
      encryptionKey: process.env[ENCRYPTION_KEY_ENV] || undefined,
      pgbackrest: runPgbackrest,
      log,
    };
    const jobs = getAgentJobs(context);
    await prepareAgent(context);
    if (command === "once") {
      const selected = jobs.find((candidate) => candidate.name === job);
      if (!selected) {
        BackupCliError.throwIfAny(`Invalid arguments. ${USAGE}`, [
          `'${job}' is a point-in-time backup, and stack '${settings.stack}' does not archive WAL (orgstack:backup.pitr).`,
        ]);
      }
      if (!(await runJob(selected!, log))) process.exitCode = 1;
      return;
    }
    let stopped = false;
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => (stopped = true));
    log(`Backup agent of stack '${settings.stack}': ${jobs.map((j) => j.name).join(", ")}.`);
    await runAgent(
      jobs,
      {
        now: () => new Date(),
        sleep: (ms) => sleepUnlessStopped(ms, () => stopped),
        stopped: () => stopped,
      },
      log,
    );
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = error instanceof BackupCliError ? 2 : 1;
  }
}

/** Sleeps in one-second steps, so SIGTERM (docker stop) is answered within a second. */
async function sleepUnlessStopped(ms: number, stopped: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (!stopped() && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, until - Date.now())));
  }
}

if (require.main === module) void main();
