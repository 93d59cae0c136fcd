/**
 * The restore drill, on a schedule or on demand:
 *
 *   PGPASSWORD=... npm run backup:drill -- --stack pr-42 --database-url postgres://postgres@db:5432/app_pr_42 [--from <archive>]
 *
 * Restores the latest succeeded logical backup (or --from, an archive name) into a scratch
 * database on the same server, compares every table's row count and checksum with the backup's
 * snapshot, runs the security gates, records the result in ops.backup_runs (a 'drill' row, and
 * the backup's verify_status) and drops the scratch database. Exit 0 passed, 1 failed, 2 bad flags.
 */
import * as path from "path";
import {
  BackupCliError,
  checkStack,
  getDatabaseUrl,
  readBackupConfig,
  readFlags,
} from "../components/backup/cli";
import { runDrill } from "../components/backup/drill";
import { ENCRYPTION_KEY_ENV } from "../components/backup/processes";

const ROOT = path.resolve(__dirname, "..");
const USAGE =
  "Usage: npm run backup:drill -- --stack <stack> [--database-url <url>] [--from <archive>] [--directory <dir>]";

export function parseDrillArgs(argv: readonly string[], env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const flags = readFlags(
    argv,
    { values: ["stack", "database-url", "from", "directory"] },
    problems,
  );
  const stack = checkStack(flags, problems);
  const url = getDatabaseUrl(flags, env, problems);
  if (typeof flags.from === "string" && flags.from.includes("/")) {
    problems.push(
      `'--from': expected an archive name as recorded in ops.backup_runs, not a path; found "${flags.from}".`,
    );
  }
  const config =
    stack && !problems.some((p) => p.startsWith("'--stack'"))
      ? readBackupConfig(ROOT, stack, env, problems)
      : undefined;
  BackupCliError.throwIfAny(`Invalid arguments. ${USAGE}`, problems);
  return {
    url,
    directory:
      typeof flags.directory === "string" ? path.resolve(flags.directory) : config!.directory,
    archive: flags.from as string | undefined,
    encryptionKey: env[ENCRYPTION_KEY_ENV] || undefined,
  };
}

async function main(): Promise<void> {
  try {
    const options = parseDrillArgs(process.argv.slice(2), process.env);
    const result = await runDrill({ ...options, log: (line) => process.stdout.write(`${line}\n`) });
    const mb = (result.bytes / 1024 ** 2).toFixed(2);
    const time =
      result.restoreSeconds === undefined
        ? "not restored"
        : `restored in ${result.restoreSeconds.toFixed(2)} s`;
    process.stdout.write(
      `Drill of ${result.archive} (${mb} MB): ${time}, ${result.passed ? "PASSED" : "FAILED"} (run ${result.drillRunId}).\n`,
    );
    for (const problem of result.problems) process.stdout.write(`  - ${problem}\n`);
    if (!result.passed) process.exitCode = 1;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = error instanceof BackupCliError ? 2 : 1;
  }
}

if (require.main === module) void main();
