/**
 * Drops ephemeral PR stacks' databases (`app_pr_<n>`) and their login roles, and templates of
 * other schema sources, once their last update is older than the TTL:
 *
 *   PGPASSWORD=... npm run sweep -- --older-than 3d --database-url postgres://postgres@ci-db:5432/postgres [--dry-run]
 *
 * The URL is the shared server's maintenance database (or ORGSTACK_DATABASE_URL); the password
 * comes from PGPASSWORD, never argv. "Last update" is the stamp `npm run template -- stamp`
 * writes after every up, else the PR database's latest applied migration. No other database is
 * ever considered. A stack's Pulumi state is the workflow's to remove (docs/pull-requests.md).
 * Exit 0 when everything planned was dropped, 1 on a failure, 2 on bad flags.
 */
import { REFERENCE_APP } from "../app";
import {
  BackupCliError,
  getDatabaseUrl,
  readFlags,
  SERVER_DATABASE_URL,
} from "../components/backup/cli";
import {
  computeSchemaKey,
  getTemplateName,
  parseDuration,
  readSchemaSources,
  sweep,
  type SweepResult,
} from "../components/ephemeral";
import { describePgError } from "../components/lib/pg";

const USAGE =
  "Usage: npm run sweep -- --older-than <3d|12h|90m|2w> [--database-url <server url>] [--dry-run]";

export interface SweepArgs {
  readonly url: string;
  readonly olderThanMs: number;
  readonly dryRun: boolean;
}

/** Every flag checked, every problem listed at once, then the usage. */
export function parseSweepArgs(argv: readonly string[], env: NodeJS.ProcessEnv): SweepArgs {
  const problems: string[] = [];
  const flags = readFlags(
    argv,
    { values: ["older-than", "database-url"], booleans: ["dry-run"] },
    problems,
  );
  let olderThanMs = 0;
  if (typeof flags["older-than"] !== "string") {
    problems.push(
      "'--older-than' is required: the TTL of an ephemeral stack, e.g. --older-than 3d.",
    );
  } else {
    const parsed = parseDuration("--older-than", flags["older-than"]);
    if (typeof parsed === "string") problems.push(parsed);
    else olderThanMs = parsed;
  }
  const url = getDatabaseUrl(flags, env, problems, SERVER_DATABASE_URL);
  BackupCliError.throwIfAny(`Invalid arguments. ${USAGE}`, problems);
  return { url, olderThanMs, dryRun: flags["dry-run"] === true };
}

/** One line per database dropped (or to drop) and kept. */
export function formatSweepResult(result: SweepResult, dryRun: boolean): string {
  const verb = dryRun ? "would drop" : "dropped";
  const lines = result.plan.drop.map(
    (d) =>
      `${verb} ${d.database} (${d.kind}, last update ${d.lastUpdate.toISOString()}` +
      (d.roles.length > 0 ? `; roles ${d.roles.join(", ")})` : ")"),
  );
  // For the workflow, which removes each swept stack's Pulumi state (docs/pull-requests.md).
  if (!dryRun) {
    const stacks = result.plan.drop.filter((d) => d.kind === "ephemeral");
    lines.push(...stacks.map((d) => `swept_stack=${d.database.replace(/^app_pr_/, "pr-")}`));
  }
  lines.push(...result.plan.keep.map((k) => `kept ${k.database}: ${k.reason}`));
  lines.push(...result.failures.map((f) => `FAILED ${f}`));
  if (lines.length === 0) lines.push("Nothing to sweep: no PR database or template on the server.");
  return lines.join("\n");
}

async function main(): Promise<void> {
  try {
    const args = parseSweepArgs(process.argv.slice(2), process.env);
    const key = computeSchemaKey(readSchemaSources(REFERENCE_APP, "postgres"));
    const result = await sweep({
      serverUrl: args.url,
      olderThanMs: args.olderThanMs,
      currentTemplate: getTemplateName(key),
      dryRun: args.dryRun,
    });
    console.log(formatSweepResult(result, args.dryRun));
    if (result.failures.length > 0) process.exitCode = 1;
  } catch (error) {
    console.error(error instanceof BackupCliError ? error.message : describePgError(error));
    process.exitCode = error instanceof BackupCliError ? 2 : 1;
  }
}

if (require.main === module) void main();
