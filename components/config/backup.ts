import { z } from "zod";
import {
  DEFAULT_PITR_POLICY,
  MAX_ARCHIVE_TIMEOUT_SECONDS,
  MAX_PITR_RETENTION,
  type PitrPolicy,
} from "../backup/pitr-options";
import { parseCron } from "../lib/cron";
import type { DatabaseMode } from "./database";
import { CONFIG_NAMESPACE, quoteKey } from "./keys";

/**
 * The backup part of the configuration: `orgstack:backup` (schedule, target directory,
 * grandfather-father-son retention, encryption) and the secret `orgstack:backupEncryptionKey`,
 * the passphrase archives are encrypted with when `backup.encrypt` is true.
 */

export const BACKUP_ENCRYPTION_KEY = "backupEncryptionKey";

/** Nightly at 03:00 UTC: before a working day starts anywhere in Europe, after most of America's. */
export const DEFAULT_BACKUP_SCHEDULE = "0 3 * * *";

/** A week of dailies, a month of weeklies, half a year of monthlies: the common GFS default. */
export const DEFAULT_BACKUP_RETENTION = { daily: 7, weekly: 4, monthly: 6 } as const;

/**
 * openssl's -pbkdf2 stretches the passphrase, but a short one is still guessable offline from a
 * stolen archive: 32 characters, as for the JWT secret.
 */
const MIN_ENCRYPTION_KEY_LENGTH = 32;

const count = (max: number) => z.number().int().min(0).max(max);

const RETENTION_SCHEMA = z.strictObject({
  daily: count(366).default(DEFAULT_BACKUP_RETENTION.daily),
  weekly: count(260).default(DEFAULT_BACKUP_RETENTION.weekly),
  monthly: count(240).default(DEFAULT_BACKUP_RETENTION.monthly),
});

/**
 * Point-in-time recovery with pgBackRest, where the stack owns the server (container mode):
 * on there unless `enabled` is false, and refused elsewhere.
 */
const PITR_SCHEMA = z.strictObject({
  enabled: z.boolean().default(true),
  /** Full backups (cron, UTC); default Sundays 01:00. */
  fullSchedule: z.string().default(DEFAULT_PITR_POLICY.fullSchedule),
  /** Differential backups; default Monday to Saturday 01:00. */
  diffSchedule: z.string().default(DEFAULT_PITR_POLICY.diffSchedule),
  retentionFull: z
    .number()
    .int()
    .min(1)
    .max(MAX_PITR_RETENTION)
    .default(DEFAULT_PITR_POLICY.retentionFull),
  retentionDiff: z
    .number()
    .int()
    .min(1)
    .max(MAX_PITR_RETENTION)
    .default(DEFAULT_PITR_POLICY.retentionDiff),
  /** Bounds the RPO: a WAL segment is archived at most this long after a commit. */
  archiveTimeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(MAX_ARCHIVE_TIMEOUT_SECONDS)
    .default(DEFAULT_PITR_POLICY.archiveTimeoutSeconds),
});

export const BACKUP_SCHEMA = z.strictObject({
  /** When the logical backup runs (UTC), as five cron fields. */
  schedule: z.string().default(DEFAULT_BACKUP_SCHEDULE),
  /** Where archives are written; default `backups/<stack>`, relative to the program. */
  directory: z.string().min(1).optional(),
  retention: RETENTION_SCHEMA.prefault({}),
  /** Encrypt archives with `orgstack:backupEncryptionKey` (AES-256-CBC, PBKDF2). */
  encrypt: z.boolean().default(false),
  pitr: PITR_SCHEMA.optional(),
});

/** Nested objects of the part, for messages naming an unknown key. */
export const BACKUP_SHAPES: Readonly<Record<string, z.core.$ZodShape>> = {
  backup: BACKUP_SCHEMA.shape,
  "backup.retention": RETENTION_SCHEMA.shape,
  "backup.pitr": PITR_SCHEMA.shape,
};

/** The backup part's top-level keys: an absent `backup` gets every default. */
export const BACKUP_SHAPE = {
  backup: BACKUP_SCHEMA.prefault({}),
  [BACKUP_ENCRYPTION_KEY]: z.string().min(1).optional(),
};

export interface ParsedBackupPart {
  readonly backup: z.infer<typeof BACKUP_SCHEMA>;
  readonly backupEncryptionKey?: string;
}

/** How many archives of each age grandfather-father-son retention keeps. */
export interface BackupRetention {
  readonly daily: number;
  readonly weekly: number;
  readonly monthly: number;
}

/** The validated `orgstack:backup`, with every default filled in. Plain values only. */
export interface BackupConfig {
  readonly schedule: string;
  readonly directory: string;
  readonly retention: BackupRetention;
  /** Plain string, present when archives are encrypted; never printed, never in argv. */
  readonly encryptionKey?: string;
  /** pgBackRest's schedule and retention: container mode only, unless turned off. */
  readonly pitr?: PitrPolicy;
}

/** What backups depend on in the rest of the stack's configuration. */
export interface BackupContext {
  readonly stack: string;
  readonly mode: DatabaseMode;
  /** A container-mode stack's own database image, which may lack pgBackRest. */
  readonly image?: string;
}

/** Fills in defaults and checks the schedules, the encryption key and where PITR can run. */
export function completeBackupConfig(
  parsed: ParsedBackupPart,
  context: BackupContext,
): { config: BackupConfig; problems: string[] } {
  const { backup } = parsed;
  const schedules = { schedule: backup.schedule, ...getPitrSchedules(backup.pitr) };
  const problems = Object.entries(schedules).flatMap(([key, value]) => {
    const parsedCron = parseCron(value);
    const name = key === "schedule" ? "backup.schedule" : `backup.pitr.${key}`;
    return typeof parsedCron === "string"
      ? [`${quoteKey(name)} is ${JSON.stringify(value)}: ${parsedCron}.`]
      : [];
  });
  problems.push(...getEncryptionProblems(parsed, context.stack));
  const { daily, weekly, monthly } = backup.retention;
  if (daily + weekly + monthly === 0) {
    problems.push(
      `${quoteKey("backup.retention")} keeps no archive (daily, weekly and monthly are all 0): keep at least one.`,
    );
  }
  const pitr = getPitrPolicy(backup, context, problems);
  const config: BackupConfig = {
    schedule: backup.schedule.trim(),
    directory: backup.directory ?? `backups/${context.stack}`,
    retention: { daily, weekly, monthly },
    encryptionKey: backup.encrypt ? parsed.backupEncryptionKey : undefined,
    ...(pitr && { pitr }),
  };
  return { config, problems };
}

type ParsedPitr = z.infer<typeof PITR_SCHEMA> | undefined;

function getPitrSchedules(pitr: ParsedPitr): Record<string, string> {
  return pitr?.enabled === false || pitr === undefined
    ? {}
    : { fullSchedule: pitr.fullSchedule, diffSchedule: pitr.diffSchedule };
}

/**
 * On by default in container mode with the bundled image, which has pgBackRest; a stack's own
 * image gets it only when `backup.pitr` is set, since archive_command fails (and WAL piles up)
 * where pgBackRest is missing. Elsewhere the stack does not own the server to archive.
 */
function getPitrPolicy(
  backup: z.infer<typeof BACKUP_SCHEMA>,
  { mode, image }: BackupContext,
  problems: string[],
): PitrPolicy | undefined {
  const byDefault = mode === "container" && image === undefined;
  const pitr = backup.pitr ?? (byDefault ? PITR_SCHEMA.parse({}) : undefined);
  if (pitr === undefined || !pitr.enabled) return undefined;
  if (mode !== "container") {
    problems.push(
      `${quoteKey("backup.pitr")} needs a server the stack owns (database mode "container"); found mode "${mode}". Remove it: schedule \`npm run backup\` for logical backups instead.`,
    );
    return undefined;
  }
  const { enabled: _enabled, ...policy } = pitr;
  return {
    ...policy,
    fullSchedule: policy.fullSchedule.trim(),
    diffSchedule: policy.diffSchedule.trim(),
    encrypted: backup.encrypt,
  };
}

function getEncryptionProblems(parsed: ParsedBackupPart, stack: string): string[] {
  const key = `'${CONFIG_NAMESPACE}:${BACKUP_ENCRYPTION_KEY}'`;
  const set = `Set it with: pulumi config set --secret ${CONFIG_NAMESPACE}:${BACKUP_ENCRYPTION_KEY} <at least ${MIN_ENCRYPTION_KEY_LENGTH} random characters> --stack ${stack}`;
  const value = parsed.backupEncryptionKey;
  if (!parsed.backup.encrypt) {
    return value === undefined
      ? []
      : [
          `${key} is set but ${quoteKey("backup.encrypt")} is not true: set it to true to encrypt archives, or remove the key.`,
        ];
  }
  if (value === undefined) {
    return [`${key} is required with ${quoteKey("backup.encrypt")} true; found nothing. ${set}`];
  }
  if (value.length < MIN_ENCRYPTION_KEY_LENGTH) {
    return [
      `${key} is ${value.length} characters long; it needs at least ${MIN_ENCRYPTION_KEY_LENGTH}. ${set}`,
    ];
  }
  return [];
}
