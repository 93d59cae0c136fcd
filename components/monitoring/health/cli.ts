import { BackupCliError, checkStack, getDatabaseUrl, readFlags } from "../../backup/cli";
import { withClient } from "../../lib/pg";

/** What `npm run health` prints: a row of ops.health(). */
export interface HealthState {
  readonly check: string;
  readonly title: string;
  readonly severity: string | null;
  readonly status: string;
  readonly subject: string;
  readonly value: number | null;
  readonly unit: string;
  readonly warn: number;
  readonly critical: number;
}

/** A row of ops.evaluate_alerts(). */
export interface AlertChange {
  readonly dedup_key: string;
  readonly change: string;
  readonly severity: string;
}

export const HEALTH_USAGE = "Usage: npm run health -- --stack <stack> [--database-url <url>]";

/** The flags: the stack and the URL of the role to evaluate as (password from PGPASSWORD). */
export function parseHealthArgs(argv: readonly string[], env: NodeJS.ProcessEnv): { url: string } {
  const problems: string[] = [];
  const flags = readFlags(argv, { values: ["stack", "database-url"] }, problems);
  checkStack(flags, problems);
  const url = getDatabaseUrl(flags, env, problems);
  BackupCliError.throwIfAny(`Invalid arguments. ${HEALTH_USAGE}`, problems);
  return { url };
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, "");
}

/** One line per row: `warning  idle_in_transaction  4242  73 s (warn 60, critical 600)`. */
export function formatHealthLine(row: HealthState): string {
  const value =
    row.value === null ? "-" : `${formatNumber(row.value)}${row.unit ? ` ${row.unit}` : ""}`;
  const limits = `(warn ${formatNumber(row.warn)}, critical ${formatNumber(row.critical)})`;
  return [
    row.status.padEnd(8),
    row.check.padEnd(22),
    (row.subject || "-").padEnd(24),
    value,
    limits,
  ].join(" ");
}

/** 0 when nothing is warning or critical, 1 otherwise ('unknown' alone is not firing). */
export function getHealthExitCode(rows: readonly HealthState[]): number {
  return rows.some((row) => row.severity !== null) ? 1 : 0;
}

/** Records state changes as the cron evaluator does, then reads the catalog's state. */
export async function runHealth(
  url: string,
): Promise<{ changes: AlertChange[]; rows: HealthState[] }> {
  return withClient(url, async (client) => {
    const changes = (await client.query<AlertChange>("select * from ops.evaluate_alerts()")).rows;
    const rows = (await client.query<HealthState>("select * from ops.health()")).rows;
    return { changes, rows };
  });
}
