/**
 * Draws a stack's live schema: tables and keys clustered by schema, foreign keys as labelled
 * edges, tenant tables marked with their access profile:
 *
 *   PGPASSWORD=... npm run erd -- --stack pr-42 --database-url postgres://postgres@db:5432/app_pr_42 [--out pr-42-erd.svg]
 *
 * The URL may come from ORGSTACK_DATABASE_URL instead; its password from PGPASSWORD, never argv.
 * SVG needs Graphviz's `dot` (Debian package graphviz); an --out ending in .dot writes the DOT
 * text without it. Exit 0 on success, 1 on a failure, 2 on bad flags.
 */
import * as fs from "fs";
import * as path from "path";
import { BackupCliError, checkStack, getDatabaseUrl, readFlags } from "../components/backup/cli";
import { describePgError } from "../components/lib/pg";
import { renderErdDot } from "../components/monitoring/erd";
import { loadErdCatalog } from "../components/monitoring/erd-catalog";
import { renderSvg } from "../components/monitoring/erd-svg";

const USAGE =
  "Usage: npm run erd -- --stack <stack> [--database-url <url>] [--out <file.svg|file.dot>]";

export interface ErdArgs {
  readonly stack: string;
  readonly url: string;
  readonly out: string;
}

/** Every flag checked, every problem listed at once, then the usage. */
export function parseErdArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ErdArgs {
  const problems: string[] = [];
  const flags = readFlags(argv, { values: ["stack", "database-url", "out"] }, problems);
  const stack = checkStack(flags, problems);
  const url = getDatabaseUrl(flags, env, problems);
  const out = typeof flags.out === "string" ? flags.out : `${stack}-erd.svg`;
  if (!/\.(svg|dot)$/.test(out)) {
    problems.push(`'--out': expected a file ending in .svg or .dot; found "${out}".`);
  }
  BackupCliError.throwIfAny(`Invalid arguments. ${USAGE}`, problems);
  return { stack, url, out: path.resolve(out) };
}

async function main(): Promise<void> {
  try {
    const args = parseErdArgs(process.argv.slice(2), process.env);
    const catalog = await loadErdCatalog({
      connectionString: args.url,
      application_name: "orgstack erd",
    }).catch((error: unknown) => {
      throw new Error(
        `Could not read the catalog of stack '${args.stack}': ${describePgError(error)}`,
        {
          cause: error,
        },
      );
    });
    const dot = renderErdDot(catalog, { title: `orgstack stack ${args.stack}` });
    const text = args.out.endsWith(".dot") ? dot : await renderSvg(dot);
    fs.writeFileSync(args.out, text);
    const tenants = catalog.tables.filter((t) => t.tenant).length;
    process.stdout.write(
      `Wrote ${args.out}: ${catalog.tables.length} tables (${tenants} tenant tables), ${catalog.foreignKeys.length} foreign keys.\n`,
    );
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = error instanceof BackupCliError ? 2 : 1;
  }
}

if (require.main === module) void main();
