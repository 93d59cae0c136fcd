/**
 * Writes the schema-change summary of a pull request as markdown, for one sticky PR comment:
 *
 *   PGPASSWORD=... npm run pr-summary -- --stack staging --database-url postgres://postgres@db:5432/app_staging \
 *     [--out summary.md] [--policy-results policy.json]
 *
 * It compares the program (the reference app) with the deployed database using the planner
 * preview uses: pending migrations with their destructive statements, SQL objects added, changed
 * and removed, gate findings, and the policy pack's results when given. The database is never
 * changed: object definitions run in a transaction that is rolled back. The markdown starts
 * with <!-- orgstack:pr-summary --> (the workflow finds its comment by it) and stays under
 * 60,000 characters. The URL may come from ORGSTACK_DATABASE_URL; its password from PGPASSWORD,
 * never argv. Exit 0 written, 1 on a failure, 2 on bad flags.
 */
import * as fs from "fs";
import * as path from "path";
import { REFERENCE_APP } from "../app";
import { BackupCliError, checkStack, getDatabaseUrl, readFlags } from "../components/backup/cli";
import { describePgError, withClient } from "../components/lib/pg";
import {
  collectReviewSummary,
  getProgram,
  readPolicyResults,
  readStackSettings,
  renderSummary,
  type StackSettings,
} from "../components/review";

const USAGE =
  "Usage: npm run pr-summary -- --stack <stack> [--database-url <url>] [--out <file.md>] [--policy-results <file.json>]";

export interface PrSummaryArgs {
  readonly stack: string;
  readonly url: string;
  /** Standard output when absent. */
  readonly out?: string;
  readonly policyResults?: string;
  readonly settings: StackSettings;
}

/** Every flag checked, every problem listed at once, then the usage. */
export function parsePrSummaryArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  root: string,
): PrSummaryArgs {
  const problems: string[] = [];
  const values = ["stack", "database-url", "out", "policy-results"];
  const flags = readFlags(argv, { values }, problems);
  const stack = checkStack(flags, problems);
  const url = getDatabaseUrl(flags, env, problems);
  const out = typeof flags.out === "string" ? flags.out : undefined;
  if (out !== undefined && !out.endsWith(".md")) {
    problems.push(`'--out': expected a file ending in .md; found "${out}".`);
  }
  const policy = flags["policy-results"];
  if (typeof policy === "string" && !policy.endsWith(".json")) {
    problems.push(`'--policy-results': expected a file ending in .json; found "${policy}".`);
  }
  const settings = stack ? readStackSettings(root, stack, problems) : undefined;
  BackupCliError.throwIfAny(`Invalid arguments. ${USAGE}`, problems);
  return {
    stack,
    url,
    out: out && path.resolve(out),
    policyResults: typeof policy === "string" ? path.resolve(policy) : undefined,
    settings: settings!,
  };
}

async function main(): Promise<void> {
  try {
    const args = parsePrSummaryArgs(
      process.argv.slice(2),
      process.env,
      path.resolve(__dirname, ".."),
    );
    const policy = args.policyResults ? readPolicyResults(args.policyResults) : {};
    const program = getProgram(REFERENCE_APP, args.settings);
    const summary = await withClient(
      { connectionString: args.url, application_name: "orgstack pr-summary" },
      (client) =>
        collectReviewSummary(client, {
          stack: args.stack,
          program,
          appMigrations: REFERENCE_APP.migrations,
          policy: policy.results,
          policyNote: policy.note,
        }),
    ).catch((error: unknown) => {
      throw new Error(
        `Could not compare stack '${args.stack}' with its database: ${describePgError(error)}`,
        {
          cause: error,
        },
      );
    });
    const markdown = renderSummary(summary);
    if (args.out) {
      fs.writeFileSync(args.out, markdown);
      process.stderr.write(`Wrote ${args.out}: ${markdown.length} characters.\n`);
    } else process.stdout.write(markdown);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = error instanceof BackupCliError ? 2 : 1;
  }
}

if (require.main === module) void main();
