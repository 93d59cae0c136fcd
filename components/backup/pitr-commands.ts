import { defineProblemListError } from "../lib/problems";
import { validatePitrOptions, type PitrOptions } from "./pitr-options";
import { getConfigFlag } from "./pitr-settings";

/**
 * pgBackRest's command lines, as argv arrays (no shell), and the schedule a backup container
 * runs them on. Every one runs as the OS user that owns the data directory.
 */

export type PitrBackupType = "full" | "diff";

/** One scheduled job: its cron expression and the command it runs. */
export interface PitrJob {
  readonly name: string;
  readonly schedule: string;
  readonly argv: readonly string[];
}

export const PitrRestoreError = defineProblemListError(
  "PitrRestoreError",
  () => "Invalid point-in-time restore:",
);

/**
 * A timestamp with an explicit UTC offset: without one, PostgreSQL reads recovery_target_time
 * in the restored server's time zone, which may not be the operator's.
 */
const TARGET_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;

function getBaseArgs(options: PitrOptions): string[] {
  const config = getConfigFlag(options).trim();
  return ["pgbackrest", ...(config ? [config] : []), `--stanza=${options.stanza}`];
}

/** Creates the stanza in the repository; run once, after the server is up with archiving. */
export function getStanzaCreateArgs(options: PitrOptions): string[] {
  return [...getBaseArgs(validatePitrOptions(options)), "stanza-create"];
}

/** Checks that archive_command reaches the repository: pushes one WAL segment and waits. */
export function getCheckArgs(options: PitrOptions): string[] {
  return [...getBaseArgs(validatePitrOptions(options)), "check"];
}

/** A full or differential backup; pgBackRest expires what retention no longer keeps after it. */
export function getBackupArgs(options: PitrOptions, type: PitrBackupType): string[] {
  return [...getBaseArgs(validatePitrOptions(options)), `--type=${type}`, "backup"];
}

/** The repository's backups as JSON (labels, sizes, start and stop times). */
export function getInfoArgs(options: PitrOptions): string[] {
  return [...getBaseArgs(validatePitrOptions(options)), "--output=json", "info"];
}

export interface PitrRestoreTarget {
  /** An empty data directory the restore writes into (a fresh one, or the old one with --delta). */
  readonly dataDirectory: string;
  /** Recover up to this moment, e.g. "2026-11-26 16:40:01.5+00"; absent: to the end of the WAL. */
  readonly targetTime?: string;
}

/**
 * Restores the latest backup that precedes the target, then replays archived WAL up to it. The
 * server promotes once it gets there, so it opens read-write on a new timeline.
 */
export function getRestoreArgs(options: PitrOptions, target: PitrRestoreTarget): string[] {
  const problems: string[] = [];
  if (!/^\/[A-Za-z0-9_./-]*$/.test(target.dataDirectory)) {
    problems.push(
      `'dataDirectory': ${JSON.stringify(target.dataDirectory)}. Use an absolute path of letters, digits, '/', '.', '_' and '-'.`,
    );
  }
  if (target.targetTime !== undefined && !TARGET_TIME.test(target.targetTime)) {
    problems.push(
      `'targetTime': ${JSON.stringify(target.targetTime)}. Use a timestamp with its UTC offset, e.g. "2026-11-26 16:40:01.5+00".`,
    );
  }
  PitrRestoreError.throwIfAny(problems);
  const time = target.targetTime
    ? [`--type=time`, `--target=${target.targetTime}`, "--target-action=promote"]
    : [];
  return [
    ...getBaseArgs(validatePitrOptions(options)),
    `--pg1-path=${target.dataDirectory}`,
    ...time,
    "restore",
  ];
}

/** The backup container's jobs: fulls and differentials on their schedules. */
export function getPitrJobs(options: PitrOptions): PitrJob[] {
  const o = validatePitrOptions(options);
  return [
    { name: "pitr-full", schedule: o.fullSchedule, argv: getBackupArgs(o, "full") },
    { name: "pitr-diff", schedule: o.diffSchedule, argv: getBackupArgs(o, "diff") },
  ];
}

/** The jobs as user-crontab lines (crontab(5), no user field) for the backup container. */
export function renderCrontab(jobs: readonly PitrJob[]): string {
  const lines = jobs.map((job) => `${job.schedule} ${job.argv.join(" ")}`);
  return ["# Rendered by orgstack (components/backup/pitr-commands.ts).", ...lines, ""].join("\n");
}
