/**
 * The health catalog, once, for any scheduler:
 *
 *   PGPASSWORD=... npm run health -- --stack pr-42 --database-url postgres://app_pr_42_monitor@db:5432/app_pr_42
 *
 * Runs ops.evaluate_alerts() as the given role (the stack's monitor login is enough), which
 * records state changes in ops.alerts and queues their alert.deliver jobs as the pg_cron
 * evaluator does, then prints ops.health() one line per check (and per subject in trouble)
 * and the changes. Exit 0 healthy, 1 something warning or critical, 2 bad flags.
 */
import { BackupCliError } from "../components/backup/cli";
import {
  formatHealthLine,
  getHealthExitCode,
  parseHealthArgs,
  runHealth,
} from "../components/monitoring/health/cli";
import { describePgError } from "../components/lib/pg";

async function main(): Promise<void> {
  try {
    const { url } = parseHealthArgs(process.argv.slice(2), process.env);
    const { changes, rows } = await runHealth(url);
    for (const row of rows) process.stdout.write(`${formatHealthLine(row)}\n`);
    for (const c of changes)
      process.stdout.write(`alert ${c.change}: ${c.dedup_key} (${c.severity})\n`);
    process.exitCode = getHealthExitCode(rows);
  } catch (error) {
    const message =
      error instanceof BackupCliError ? (error as Error).message : describePgError(error);
    process.stderr.write(`${message}\n`);
    process.exitCode = error instanceof BackupCliError ? 2 : 1;
  }
}

if (require.main === module) void main();
