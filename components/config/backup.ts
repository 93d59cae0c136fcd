import { z } from "zod";
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

/** One cron field: `*`, numbers, ranges, lists and steps, or day and month names. */
const CRON_FIELD =
  /^(\*|[0-9a-z]+(-[0-9a-z]+)?)(\/[0-9]+)?(,(\*|[0-9a-z]+(-[0-9a-z]+)?)(\/[0-9]+)?)*$/i;

const count = (max: number) => z.number().int().min(0).max(max);

const RETENTION_SCHEMA = z.strictObject({
  daily: count(366).default(DEFAULT_BACKUP_RETENTION.daily),
  weekly: count(260).default(DEFAULT_BACKUP_RETENTION.weekly),
  monthly: count(240).default(DEFAULT_BACKUP_RETENTION.monthly),
});

export const BACKUP_SCHEMA = z.strictObject({
  /** When the logical backup runs (UTC), as five cron fields. */
  schedule: z.string().default(DEFAULT_BACKUP_SCHEDULE),
  /** Where archives are written; default `backups/<stack>`, relative to the program. */
  directory: z.string().min(1).optional(),
  retention: RETENTION_SCHEMA.prefault({}),
  /** Encrypt archives with `orgstack:backupEncryptionKey` (AES-256-CBC, PBKDF2). */
  encrypt: z.boolean().default(false),
});

/** Nested objects of the part, for messages naming an unknown key. */
export const BACKUP_SHAPES: Readonly<Record<string, z.core.$ZodShape>> = {
  backup: BACKUP_SCHEMA.shape,
  "backup.retention": RETENTION_SCHEMA.shape,
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
}

/** Fills in defaults and checks the schedule and the encryption key. */
export function completeBackupConfig(
  parsed: ParsedBackupPart,
  stack: string,
): { config: BackupConfig; problems: string[] } {
  const { backup } = parsed;
  const problems: string[] = [];
  const fields = backup.schedule.trim().split(/\s+/);
  if (fields.length !== 5 || !fields.every((field) => CRON_FIELD.test(field))) {
    problems.push(
      `${quoteKey("backup.schedule")}: expected five cron fields (minute hour day-of-month month day-of-week), such as "${DEFAULT_BACKUP_SCHEDULE}"; found ${JSON.stringify(backup.schedule)}.`,
    );
  }
  problems.push(...getEncryptionProblems(parsed, stack));
  const { daily, weekly, monthly } = backup.retention;
  if (daily + weekly + monthly === 0) {
    problems.push(
      `${quoteKey("backup.retention")} keeps no archive (daily, weekly and monthly are all 0): keep at least one.`,
    );
  }
  const config: BackupConfig = {
    schedule: backup.schedule.trim(),
    directory: backup.directory ?? `backups/${stack}`,
    retention: { daily, weekly, monthly },
    encryptionKey: backup.encrypt ? parsed.backupEncryptionKey : undefined,
  };
  return { config, problems };
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
