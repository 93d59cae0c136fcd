/**
 * The seed's quality checklists, measured on a deployed stack, one line per item:
 *
 *   PGPASSWORD=... npm run quality -- --stack pr-42 --database-url postgres://postgres@db:5432/app_pr_42 \
 *     [--functions-url http://localhost:54321 --functions health,invite-member] \
 *     [--load-seconds 5] [--load-clients 4]
 *
 * The URL may come from ORGSTACK_DATABASE_URL; the metrics token from ORGSTACK_METRICS_TOKEN
 * (`pulumi stack output --show-secrets metricsToken`), never argv. Only reads: the load test
 * lists rows as sampled members. Exit 0 when nothing failed (items not measured say so), 1
 * when an item failed, 2 on bad flags.
 */
import {
  BackupCliError,
  checkStack,
  getDatabaseUrl,
  readFlags,
  type Flags,
} from "../components/backup/cli";
import { describePgError, withClient } from "../components/lib/pg";
import { formatQuality, runQuality, type QualityContext } from "../components/quality/items";

const USAGE =
  "Usage: npm run quality -- --stack <stack> [--database-url <url>] [--functions-url <url> --functions <a,b>] [--load-seconds <1-60>] [--load-clients <1-32>]";
export const METRICS_TOKEN_ENV = "ORGSTACK_METRICS_TOKEN";

export interface QualityArgs {
  readonly stack: string;
  readonly context: Omit<QualityContext, "client">;
}

function readInteger(
  flags: Flags,
  flag: string,
  fallback: number,
  max: number,
  problems: string[],
): number {
  const given = flags[flag];
  if (given === undefined) return fallback;
  const value = Number(given);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    problems.push(`'--${flag}': expected a whole number from 1 to ${max}; found "${given}".`);
  }
  return value;
}

/** Every flag checked, every problem listed at once, then the usage. */
export function parseQualityArgs(argv: readonly string[], env: NodeJS.ProcessEnv): QualityArgs {
  const problems: string[] = [];
  const values = [
    "stack",
    "database-url",
    "functions-url",
    "functions",
    "load-seconds",
    "load-clients",
  ];
  const flags = readFlags(argv, { values }, problems);
  const stack = checkStack(flags, problems);
  const url = getDatabaseUrl(flags, env, problems);
  const load = {
    seconds: readInteger(flags, "load-seconds", 5, 60, problems),
    clients: readInteger(flags, "load-clients", 4, 32, problems),
  };
  const functionsUrl =
    typeof flags["functions-url"] === "string" ? flags["functions-url"] : undefined;
  const names =
    typeof flags.functions === "string" ? flags.functions.split(",").filter(Boolean) : [];
  if ((functionsUrl === undefined) !== (flags.functions === undefined)) {
    problems.push(
      "'--functions-url' and '--functions' go together: the gateway and the functions to probe on it.",
    );
  }
  if (functionsUrl !== undefined && !/^https?:\/\/[^/]+/.test(functionsUrl)) {
    problems.push(
      `'--functions-url': expected the gateway's http(s) URL; found "${functionsUrl}".`,
    );
  }
  BackupCliError.throwIfAny(`Invalid arguments. ${USAGE}`, problems);
  const token = env[METRICS_TOKEN_ENV];
  return {
    stack,
    context: {
      url,
      load,
      ...(functionsUrl && { functions: { url: functionsUrl, functions: names } }),
      ...(functionsUrl && token && { metrics: { url: functionsUrl, token } }),
    },
  };
}

async function main(): Promise<number> {
  let args: QualityArgs;
  try {
    args = parseQualityArgs(process.argv.slice(2), process.env);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const rows = await withClient(args.context.url, (client) =>
    runQuality({ ...args.context, client }),
  ).catch((error: unknown) => {
    throw new Error(`Could not measure stack '${args.stack}': ${describePgError(error)}`);
  });
  console.log(formatQuality(args.stack, rows));
  return rows.some((r) => r.measurement.status === "fail") ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
