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
import { runPitrRestore } from "../components/backup/pitr-restore";
import { isPitrRestore, parsePitrRestoreArgs } from "../components/backup/pitr-restore-args";
import { RESERVED_DATABASES, runRestore } from "../components/backup/restore";
import { withDatabase } from "../components/lib/pg";

const ROOT = path.resolve(__dirname, "..");
const USAGE =
  "Usage: npm run restore -- --stack <stack> --from <archive> --to <database> [--database-url <url>] [--force]" +
  " (point in time: --to-time, see docs/backups.md)";

export function parseRestoreArgs(argv: readonly string[], env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const flags = readFlags(
    argv,
    { values: ["stack", "from", "to", "database-url"], booleans: ["force"] },
    problems,
  );
  const stack = checkStack(flags, problems);
  const url = getDatabaseUrl(flags, env, problems);
  if (typeof flags.to !== "string")
    problems.push("'--to' is required: the database to restore into, e.g. --to app_restored.");
  else if (!/^[a-z_][a-z0-9_]{0,62}$/.test(flags.to))
    problems.push(
      `'--to': expected a database name of lowercase letters, digits and '_'; found "${flags.to}".`,
    );
  else if (RESERVED_DATABASES.includes(flags.to))
    problems.push(
      `'--to': ${flags.to} is the server's maintenance or template database; restore into a new database, e.g. --to app_restored.`,
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
