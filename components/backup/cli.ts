import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { BACKUP_SCHEMA, completeBackupConfig, type BackupConfig } from "../config/backup";
import type { DatabaseMode } from "../config/database";
import { defineProblemListError } from "../lib/problems";
import { ENCRYPTION_KEY_ENV } from "./processes";

/**
 * What the backup, restore and drill CLIs share: flags, the stack's `orgstack:backup`, and the
 * database URL. Passwords never come in argv (ps shows it): a URL's password comes from
 * PGPASSWORD, the encryption key from ORGSTACK_BACKUP_KEY.
 */

export const BackupCliError = defineProblemListError(
  "BackupCliError",
  (heading: string) => heading,
);

/** The admin URL of the stack's database when --database-url is not given. */
export const DATABASE_URL_ENV = "ORGSTACK_DATABASE_URL";

export type Flags = Partial<Record<string, string | true>>;

/** Reads `--flag value`, `--flag=value` and boolean `--flag`; every problem is collected. */
export function readFlags(
  argv: readonly string[],
  spec: { readonly values: readonly string[]; readonly booleans?: readonly string[] },
  problems: string[],
): Flags {
  const booleans = spec.booleans ?? [];
  const known = [...spec.values, ...booleans];
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    const flag = match?.[1] ?? "";
    if (!match || !known.includes(flag)) {
      problems.push(
        `'${argv[i]}' is not a known flag. Flags: ${known.map((f) => `--${f}`).join(", ")}.`,
      );
      continue;
    }
    if (flags[flag] !== undefined) problems.push(`'--${flag}' is given twice.`);
    if (booleans.includes(flag)) {
      if (match[2] !== undefined) problems.push(`'--${flag}' takes no value; found "${match[2]}".`);
      flags[flag] = true;
      continue;
    }
    const value = match[2] ?? (argv[i + 1]?.startsWith("--") ? undefined : argv[++i]);
    if (value === undefined || value === "") problems.push(`'--${flag}' needs a value.`);
    else flags[flag] = value;
  }
  return flags;
}

/** What a command's --database-url names, as its message shows it. */
export const STACK_DATABASE_URL =
  "the URL of the stack's database, such as postgres://postgres@db.internal:5432/app_pr_42";
export const SERVER_DATABASE_URL =
  "the URL of the shared server's maintenance database, such as postgres://postgres@db.internal:5432/postgres";

/** The database URL: --database-url or ORGSTACK_DATABASE_URL, its password from PGPASSWORD. */
export function getDatabaseUrl(
  flags: Flags,
  env: NodeJS.ProcessEnv,
  problems: string[],
  expected = STACK_DATABASE_URL,
): string {
  const given =
    typeof flags["database-url"] === "string" ? flags["database-url"] : env[DATABASE_URL_ENV];
  if (given === undefined) {
    problems.push(
      `'--database-url' is required (or ${DATABASE_URL_ENV}): ${expected}, with the password in PGPASSWORD.`,
    );
    return "";
  }
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    problems.push(`'--database-url': expected a postgres:// URL; found "${given}".`);
    return "";
  }
  if (flags["database-url"] !== undefined && url.password !== "") {
    problems.push(
      "'--database-url' holds a password, which ps shows to every user: remove it and set PGPASSWORD.",
    );
    return "";
  }
  if (!/^postgres(ql)?:$/.test(url.protocol) || url.pathname.length < 2) {
    problems.push(
      `'--database-url': expected postgres://user@host:port/database; found "${given.replace(/:[^:@/]*@/, ":***@")}".`,
    );
    return "";
  }
  if (url.password === "" && env.PGPASSWORD) url.password = encodeURIComponent(env.PGPASSWORD);
  return url.toString();
}

/** A stack name as `pulumi stack init` takes it. */
export function checkStack(flags: Flags, problems: string[]): string {
  const stack = flags.stack;
  if (typeof stack !== "string") {
    problems.push("'--stack' is required: the stack to work on, e.g. --stack pr-42.");
    return "";
  }
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(stack)) {
    problems.push(`'--stack': expected letters, digits, '-', '_' or '.'; found "${stack}".`);
  }
  return stack;
}

/** `orgstack:backup` of stacks/Pulumi.<stack>.yaml (defaults when absent); the key from the env. */
export function readBackupConfig(
  root: string,
  stack: string,
  env: NodeJS.ProcessEnv,
  problems: string[],
): BackupConfig | undefined {
  const file = path.join(root, "stacks", `Pulumi.${stack}.yaml`);
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const config = (parseYaml(text) as { config?: Record<string, unknown> } | null)?.config ?? {};
  const parsed = BACKUP_SCHEMA.safeParse(config["orgstack:backup"] ?? {});
  if (!parsed.success) {
    problems.push(
      `'orgstack:backup' in '${file}' is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}.`,
    );
    return undefined;
  }
  const key = parsed.data.encrypt ? env[ENCRYPTION_KEY_ENV] : undefined;
  const database = config["orgstack:database"] as { mode?: DatabaseMode } | undefined;
  const { config: backup, problems: found } = completeBackupConfig(
    { backup: parsed.data, backupEncryptionKey: key },
    // The stack's own config validation reports a missing or unknown mode.
    { stack, mode: database?.mode ?? "container" },
  );
  problems.push(
    ...found.map((p) =>
      p.startsWith("'orgstack:backupEncryptionKey' is required")
        ? `'orgstack:backup.encrypt' is true: set ${ENCRYPTION_KEY_ENV} to the stack's key (pulumi config get orgstack:backupEncryptionKey --stack ${stack}).`
        : p,
    ),
  );
  return { ...backup, directory: path.resolve(root, backup.directory) };
}
