import { defineProblemListError } from "../lib/problems";
import { validatePitrOptions, type PitrOptions } from "./pitr-options";
import { getConfigFlag } from "./pitr-settings";

/**
 * pgBackRest's command lines, as argv arrays (no shell); the backup agent runs them on their
 * schedules (agent.ts). Every one runs as the OS user that owns the data directory.
 */

export type PitrBackupType = "full" | "diff";

export const PitrRestoreError = defineProblemListError(
  "PitrRestoreError",
  () => "Invalid point-in-time restore:",
);

/**
 * A timestamp with an explicit UTC offset: without one, PostgreSQL reads recovery_target_time
 * in the restored server's time zone, which may not be the operator's.
 */
const TARGET_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|([+-])(\d{2})(?::?(\d{2}))?)$/;
const SAFE_PATH = /^\/[A-Za-z0-9_./-]*$/;
/** Backup labels as pgBackRest writes them: 20261126-164001F, or ..._20261127-010002D (or I). */
const BACKUP_LABEL = /^\d{8}-\d{6}F(_\d{8}-\d{6}[DI])?$/;

/** Whether `value` has the shape of a pgBackRest backup label. */
export function isBackupLabel(value: string): boolean {
  return BACKUP_LABEL.test(value);
}

/** The repository's identity: enough to run info and restore, which need no schedule. */
export type PitrRepository = Pick<PitrOptions, "stanza" | "configPath">;

/**
 * Milliseconds since the epoch of a target time such as "2026-11-26 16:40:01.5+00", or
 * undefined when it has no UTC offset or names no real moment (month 13, 30 February, 24:00).
 */
export function getTargetTimeMs(value: string): number | undefined {
  const m = TARGET_TIME.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const [offsetHours, offsetMinutes] = [Number(m[10] ?? 0), Number(m[11] ?? 0)];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const valid =
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour < 24 && minute < 60;
  if (!valid || second > 59 || offsetHours > 15 || offsetMinutes > 59) return undefined;
  const offset = (m[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const fraction = Math.floor(Number(m[7] ?? 0) * 1000);
  return Date.UTC(year, month - 1, day, hour, minute, second) + fraction - offset;
}

function getBaseArgs(options: PitrRepository): string[] {
  const config = getConfigFlag(options).trim();
  return ["pgbackrest", ...(config ? [config] : []), `--stanza=${options.stanza}`];
}

/** The repository's own problems: the stanza and config path go into argv as they are. */
function getRepositoryProblems(options: PitrRepository): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(options.stanza)) {
    problems.push(
      `'stanza': ${JSON.stringify(options.stanza)}. Use 1-63 lowercase letters, digits, '-' or '_', starting with a letter or digit.`,
    );
  }
  if (options.configPath !== undefined && !SAFE_PATH.test(options.configPath)) {
    problems.push(
      `'configPath': ${JSON.stringify(options.configPath)}. Use an absolute path of letters, digits, '/', '.', '_' and '-'.`,
    );
  }
  return problems;
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
export function getInfoArgs(options: PitrRepository): string[] {
  PitrRestoreError.throwIfAny(getRepositoryProblems(options));
  return [...getBaseArgs(options), "--output=json", "info"];
}

/**
 * Lists one WAL directory of the archive as JSON, each file with its time (when it was pushed):
 * `archiveId` is info's archive id (15-1), `walPrefix` a segment's first 16 hex digits.
 */
export function getWalListArgs(
  options: PitrRepository,
  archiveId: string,
  walPrefix: string,
): string[] {
  const problems = getRepositoryProblems(options);
  if (!/^\d+-\d+$/.test(archiveId) || !/^[0-9A-F]{16}$/.test(walPrefix)) {
    problems.push(`'archive': ${JSON.stringify(`${archiveId}/${walPrefix}`)} is not a WAL path.`);
  }
  PitrRestoreError.throwIfAny(problems);
  const where = `archive/${options.stanza}/${archiveId}/${walPrefix}`;
  return [...getBaseArgs(options), "--output=json", "repo-ls", where];
}

export interface PitrRestoreTarget {
  /** The data directory the restore writes into: empty, or an old one with `delta`. */
  readonly dataDirectory: string;
  /** Recover up to this moment, e.g. "2026-11-26 16:40:01.5+00"; absent: to the end of the WAL. */
  readonly targetTime?: string;
  /** The backup to start from (`--set`); absent: pgBackRest picks the latest that fits. */
  readonly backupLabel?: string;
  /** Keep files whose checksum matches the backup's and replace the rest (`--delta`). */
  readonly delta?: boolean;
}

/**
 * Restores a backup, then replays archived WAL up to the target. The server promotes once it
 * gets there, so it opens read-write on a new timeline.
 */
export function getRestoreArgs(options: PitrRepository, target: PitrRestoreTarget): string[] {
  const problems = getRepositoryProblems(options);
  if (!SAFE_PATH.test(target.dataDirectory)) {
    problems.push(
      `'dataDirectory': ${JSON.stringify(target.dataDirectory)}. Use an absolute path of letters, digits, '/', '.', '_' and '-'.`,
    );
  }
  if (target.targetTime !== undefined && getTargetTimeMs(target.targetTime) === undefined) {
    problems.push(
      `'targetTime': ${JSON.stringify(target.targetTime)}. Use a timestamp with its UTC offset, e.g. "2026-11-26 16:40:01.5+00".`,
    );
  }
  if (target.backupLabel !== undefined && !BACKUP_LABEL.test(target.backupLabel)) {
    problems.push(
      `'backupLabel': ${JSON.stringify(target.backupLabel)}. Use a label pgBackRest lists, e.g. "20261126-164001F".`,
    );
  }
  PitrRestoreError.throwIfAny(problems);
  const time = target.targetTime
    ? [`--type=time`, `--target=${target.targetTime}`, "--target-action=promote"]
    : [];
  return [
    ...getBaseArgs(options),
    `--pg1-path=${target.dataDirectory}`,
    ...(target.backupLabel ? [`--set=${target.backupLabel}`] : []),
    ...(target.delta ? ["--delta"] : []),
    ...time,
    "restore",
  ];
}
