/**
 * One logical backup of a stack's database, then GFS retention of its archives:
 *
 *   PGPASSWORD=... npm run backup -- --stack pr-42 --database-url postgres://app_pr_42_backup@db:5432/app_pr_42
 *
 * The URL (the stack's backup role; on Supabase, postgres) may come from ORGSTACK_DATABASE_URL
 * instead; its password always from PGPASSWORD (or ORGSTACK_DATABASE_URL), never argv. The schedule, directory and retention are the stack's
 * `orgstack:backup`; --directory overrides the directory. With `backup.encrypt`, the key comes
 * from ORGSTACK_BACKUP_KEY. For any scheduler: exit 0 on success, 1 on a failed backup, 2 on bad flags.
 */
import * as path from "path";
import {
  BackupCliError,
  checkStack,
  getDatabaseUrl,
  readBackupConfig,
  readFlags,
} from "../components/backup/cli";
import { runLogicalBackup } from "../components/backup/logical-backup";
import { pruneArchives } from "../components/backup/prune";

const ROOT = path.resolve(__dirname, "..");
const USAGE = "Usage: npm run backup -- --stack <stack> [--database-url <url>] [--directory <dir>]";

export function parseBackupArgs(argv: readonly string[], env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const flags = readFlags(argv, { values: ["stack", "database-url", "directory"] }, problems);
  const stack = checkStack(flags, problems);
  const url = getDatabaseUrl(flags, env, problems);
  const config =
    stack && !problems.some((p) => p.startsWith("'--stack'"))
      ? readBackupConfig(ROOT, stack, env, problems)
      : undefined;
  BackupCliError.throwIfAny(`Invalid arguments. ${USAGE}`, problems);
  const directory =
    typeof flags.directory === "string" ? path.resolve(flags.directory) : config!.directory;
  return { stack, url, config: { ...config!, directory } };
}

async function main(): Promise<void> {
  try {
    const { stack, url, config } = parseBackupArgs(process.argv.slice(2), process.env);
    const result = await runLogicalBackup({
      url,
      stack,
      directory: config.directory,
      encryptionKey: config.encryptionKey,
    });
    const mb = (result.bytes / 1024 ** 2).toFixed(2);
    process.stdout.write(
      `Backup ${result.archive}: ${mb} MB in ${result.seconds.toFixed(2)} s, sha256 ${result.sha256}, ` +
        `${Object.keys(result.snapshot).length} tables (run ${result.runId}).\n`,
    );
    const plan = await pruneArchives({
      url,
      stack,
      directory: config.directory,
      retention: config.retention,
    });
    process.stdout.write(
      `Retention: kept ${plan.keep.length}, deleted ${plan.delete.length}${plan.delete.length ? `: ${plan.delete.join(", ")}` : ""}.\n`,
    );
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = error instanceof BackupCliError ? 2 : 1;
  }
}

if (require.main === module) void main();
