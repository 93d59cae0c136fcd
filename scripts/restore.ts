/**
 * Restores a logical backup into a database on the stack's server:
 *
 *   PGPASSWORD=... npm run restore -- --stack pr-42 --from pr-42-20261126T030000Z.dump --to app_restored \
 *     --database-url postgres://postgres@db:5432/app_pr_42 [--force]
 *
 * --from is an archive file, or its name in the stack's backup directory. --to is a database
 * name on the same server (created when missing). A non-empty target is refused unless --force,
 * which drops it and creates it again. The plan is printed first. Encrypted archives (.enc) take
 * the key from ORGSTACK_BACKUP_KEY. Exit 0 restored, 1 failed or refused, 2 bad flags.
 *
 * With --to-time it recovers a stopped cluster to a point in time with pgBackRest instead
 * (container mode; see PITR_USAGE and docs/backups.md).
 */
import * as fs from "fs";
import * as path from "path";
import {
  BackupCliError,
  checkStack,
  getDatabaseUrl,
  readBackupConfig,
  readFlags,
} from "../components/backup/cli";
import { parseArchiveName } from "../components/backup/naming";
import { ENCRYPTION_KEY_ENV } from "../components/backup/processes";
import { getTargetTimeMs, isBackupLabel } from "../components/backup/pitr-commands";
import { DEFAULT_PGBACKREST_CONFIG } from "../components/backup/pitr-options";
import { runPitrRestore, type PitrRestoreOptions } from "../components/backup/pitr-restore";
import { runRestore } from "../components/backup/restore";
import { withDatabase } from "../components/lib/pg";

const ROOT = path.resolve(__dirname, "..");
const USAGE =
  "Usage: npm run restore -- --stack <stack> --from <archive> --to <database> [--database-url <url>] [--force]";

const PITR_USAGE =
  "Usage: npm run restore -- --stack <stack> --to-time <timestamp with UTC offset> " +
  "[--from <pgBackRest label>|latest] [--pgbackrest-config <path>] [--to <data directory>] [--force]. " +
  "Run it where the repository and the data directory are (container mode: with the backup " +
  "container's volumes), with PostgreSQL stopped; --database-url is not used (the server is down). " +
  "The repository passphrase, if any, comes from PGBACKREST_REPO1_CIPHER_PASS.";

/** Whether argv asks for a point-in-time restore (--to-time, in either form). */
export function isPitrRestore(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === "--to-time" || arg.startsWith("--to-time="));
}

/** The --to-time flags, every problem listed at once; the cluster's state is checked later. */
export function parsePitrRestoreArgs(argv: readonly string[]): PitrRestoreOptions {
  const problems: string[] = [];
  const flags = readFlags(
    argv,
    {
      values: ["stack", "to-time", "from", "pgbackrest-config", "to", "database-url"],
      booleans: ["force"],
    },
    problems,
  );
  checkStack(flags, problems);
  const time = flags["to-time"];
  if (typeof time === "string" && getTargetTimeMs(time) === undefined) {
    problems.push(
      `'--to-time': "${time}". Use a timestamp with its UTC offset, e.g. "2026-11-26 16:40:01.5+00".`,
    );
  }
  const from = flags.from;
  if (typeof from === "string" && from !== "latest" && !isBackupLabel(from)) {
    problems.push(
      `'--from': "${from}". Use "latest" or a label 'pgbackrest info' lists, e.g. 20261126-010002F.`,
    );
  }
  const config = flags["pgbackrest-config"];
  if (typeof config === "string" && !fs.existsSync(config)) {
    problems.push(`'--pgbackrest-config': no file '${path.resolve(config)}'.`);
  } else if (config === undefined && !fs.existsSync(DEFAULT_PGBACKREST_CONFIG)) {
    problems.push(
      `'--pgbackrest-config' is needed: there is no '${DEFAULT_PGBACKREST_CONFIG}' here.`,
    );
  }
  const to = flags.to;
  if (typeof to === "string" && !/^\/[A-Za-z0-9_./-]*$/.test(to)) {
    problems.push(
      `'--to': "${to}". Use the data directory's absolute path of letters, digits, '/', '.', '_' and '-'.`,
    );
  }
  BackupCliError.throwIfAny(`Invalid arguments. ${PITR_USAGE}`, problems);
  return {
    targetTime: time as string,
    from: typeof from === "string" ? from : undefined,
    configPath: typeof config === "string" ? path.resolve(config) : undefined,
    dataDirectory: typeof to === "string" ? to : undefined,
    force: flags.force === true,
  };
}

export function parseRestoreArgs(argv: readonly string[], env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const flags = readFlags(
    argv,
    { values: ["stack", "from", "to", "database-url", "to-time"], booleans: ["force"] },
    problems,
  );
  const stack = checkStack(flags, problems);
  const url = getDatabaseUrl(flags, env, problems);
  if (flags["to-time"] !== undefined) {
    problems.push(
      "'--to-time' recovers to a point in time with pgBackRest (container mode): see docs/backups.md; a logical backup restores as it was taken.",
    );
  }
  if (typeof flags.to !== "string")
    problems.push("'--to' is required: the database to restore into, e.g. --to app_restored.");
  else if (!/^[a-z_][a-z0-9_]{0,62}$/.test(flags.to))
    problems.push(
      `'--to': expected a database name of lowercase letters, digits and '_'; found "${flags.to}".`,
    );
  let file = "";
  if (typeof flags.from !== "string") {
    problems.push(
      "'--from' is required: an archive file, or its name in the stack's backup directory.",
    );
  } else if (stack) {
    const directory = readBackupConfig(ROOT, stack, {}, [])?.directory ?? "";
    file = fs.existsSync(flags.from) ? path.resolve(flags.from) : path.join(directory, flags.from);
    if (!fs.existsSync(file))
      problems.push(
        `'--from': no archive "${flags.from}" (looked for '${path.resolve(flags.from)}' and '${file}').`,
      );
  }
  const encrypted = parseArchiveName(path.basename(file))?.encrypted ?? file.endsWith(".enc");
  if (encrypted && !env[ENCRYPTION_KEY_ENV])
    problems.push(`'--from' is encrypted: set ${ENCRYPTION_KEY_ENV} to the stack's backup key.`);
  BackupCliError.throwIfAny(`Invalid arguments. ${USAGE}`, problems);
  return {
    file,
    targetUrl: withDatabase(url, flags.to as string),
    force: flags.force === true,
    encryptionKey: encrypted ? env[ENCRYPTION_KEY_ENV] : undefined,
  };
}

async function main(): Promise<void> {
  if (isPitrRestore(process.argv.slice(2))) return mainPitr();
  try {
    const options = parseRestoreArgs(process.argv.slice(2), process.env);
    const seconds = await runRestore({
      ...options,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    const mb = (fs.statSync(options.file).size / 1024 ** 2).toFixed(2);
    process.stdout.write(
      `Restored ${path.basename(options.file)} (${mb} MB) in ${seconds.toFixed(2)} s.\n`,
    );
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = error instanceof BackupCliError ? 2 : 1;
  }
}

async function mainPitr(): Promise<void> {
  try {
    const options = parsePitrRestoreArgs(process.argv.slice(2));
    await runPitrRestore(options, { log: (line) => process.stdout.write(`${line}\n`) });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = error instanceof BackupCliError ? 2 : 1;
  }
}

if (require.main === module) void main();
