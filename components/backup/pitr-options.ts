import { parseCron } from "../lib/cron";
import { defineProblemListError } from "../lib/problems";

/**
 * Point-in-time recovery with pgBackRest where the stack owns the server (container mode): the
 * plain options everything in pitr-settings.ts and pitr-commands.ts is computed from. The stack
 * configuration (`orgstack:backup.pitr`, owned by components/config/backup.ts) supplies the
 * schedule, retention and encryption; the container plan supplies where things live.
 */

/** What the stack configuration decides. */
export interface PitrPolicy {
  /** Cron expression (5 fields, UTC) of the full backups. Default: Sundays 01:00. */
  readonly fullSchedule: string;
  /** Cron expression of the differential backups. Default: Monday to Saturday 01:00. */
  readonly diffSchedule: string;
  /** Full backups kept (`repo1-retention-full`); WAL older than the oldest kept one expires. */
  readonly retentionFull: number;
  /** Differential backups kept (`repo1-retention-diff`). */
  readonly retentionDiff: number;
  /** `archive_timeout`: a WAL segment is archived at most this long after a commit (the RPO). */
  readonly archiveTimeoutSeconds: number;
  /** Encrypt the repository (aes-256-cbc); the passphrase comes from the environment only. */
  readonly encrypted: boolean;
}

/** Where the cluster and the repository live: fixed by the image, or a test's temp dir. */
export interface PitrPlacement {
  /** pgBackRest's name for the cluster; one stanza per server. */
  readonly stanza: string;
  /** `pg1-path`: the data directory. */
  readonly dataDirectory: string;
  /** `pg1-socket-path`: pgBackRest reaches PostgreSQL over its Unix socket only. */
  readonly socketDirectory: string;
  readonly port: number;
  /** `pg1-user`: a superuser pgBackRest connects as; default `postgres`. */
  readonly user?: string;
  /** `repo1-path`: the local posix repository (a volume of its own in container mode). */
  readonly repoPath: string;
  /** Where pgBackRest keeps its lock files and logs. */
  readonly statePath: string;
  /** The config file, when not pgBackRest's default /etc/pgbackrest/pgbackrest.conf. */
  readonly configPath?: string;
}

export type PitrOptions = PitrPolicy & PitrPlacement;

/** pgBackRest's default config file: in the image it lives there, so no --config is needed. */
export const DEFAULT_PGBACKREST_CONFIG = "/etc/pgbackrest/pgbackrest.conf";

/** The passphrase's environment variable: pgBackRest reads any option as PGBACKREST_<OPTION>. */
export const CIPHER_PASS_ENV = "PGBACKREST_REPO1_CIPHER_PASS";

/** The promise: RPO <= 60 s, so a longer archive_timeout is refused. */
export const MAX_ARCHIVE_TIMEOUT_SECONDS = 60;

/**
 * Defaults: a weekly full and daily differentials, two fulls kept (so two to three weeks of
 * point-in-time history), and each WAL segment archived within 60 s of a commit.
 */
export const DEFAULT_PITR_POLICY: PitrPolicy = {
  fullSchedule: "0 1 * * 0",
  diffSchedule: "0 1 * * 1-6",
  retentionFull: 2,
  retentionDiff: 6,
  archiveTimeoutSeconds: MAX_ARCHIVE_TIMEOUT_SECONDS,
  encrypted: false,
};

export const PitrOptionsError = defineProblemListError(
  "PitrOptionsError",
  () => "Invalid point-in-time recovery options:",
);

/** Stanza names become directory names in the repository: keep them plain. */
const STANZA = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const SAFE_PATH = /^\/[A-Za-z0-9_./-]*$/;
/** pgBackRest's own limit for both retention options. */
export const MAX_PITR_RETENTION = 9999999;

/** Every problem with `options`, each naming the option, the value and what is allowed. */
export function getPitrOptionsProblems(options: PitrOptions): string[] {
  const problems: string[] = [];
  if (!STANZA.test(options.stanza)) {
    problems.push(
      `'stanza': ${JSON.stringify(options.stanza)}. Use 1-63 lowercase letters, digits, '-' or '_', starting with a letter or digit.`,
    );
  }
  for (const key of ["fullSchedule", "diffSchedule"] as const) {
    const problem = getCronProblem(options[key]);
    if (problem) problems.push(`'${key}': ${JSON.stringify(options[key])}. ${problem}`);
  }
  for (const key of ["retentionFull", "retentionDiff"] as const) {
    const value = options[key];
    if (!Number.isInteger(value) || value < 1 || value > MAX_PITR_RETENTION) {
      problems.push(
        `'${key}': ${value}. Use a whole number of backups from 1 to ${MAX_PITR_RETENTION}.`,
      );
    }
  }
  const timeout = options.archiveTimeoutSeconds;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_ARCHIVE_TIMEOUT_SECONDS) {
    problems.push(
      `'archiveTimeoutSeconds': ${timeout}. Use whole seconds from 1 to ${MAX_ARCHIVE_TIMEOUT_SECONDS}: it bounds the RPO.`,
    );
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    problems.push(`'port': ${options.port}. Use a TCP port from 1 to 65535.`);
  }
  return [...problems, ...getPathProblems(options)];
}

/** Throws one PitrOptionsError listing every problem; returns the options when there are none. */
export function validatePitrOptions(options: PitrOptions): PitrOptions {
  PitrOptionsError.throwIfAny(getPitrOptionsProblems(options));
  return options;
}

function getCronProblem(expression: string): string | undefined {
  const parsed = parseCron(expression);
  return typeof parsed === "string" ? `${parsed[0].toUpperCase()}${parsed.slice(1)}.` : undefined;
}

/**
 * Paths go into pgbackrest.conf and into archive_command, which PostgreSQL runs through the
 * shell: so only characters no shell treats specially.
 */
function getPathProblems(options: PitrOptions): string[] {
  const keys = ["dataDirectory", "socketDirectory", "repoPath", "statePath", "configPath"] as const;
  return keys
    .filter((key) => options[key] !== undefined && !SAFE_PATH.test(options[key] ?? ""))
    .map(
      (key) =>
        `'${key}': ${JSON.stringify(options[key])}. Use an absolute path of letters, digits, '/', '.', '_' and '-'.`,
    );
}
