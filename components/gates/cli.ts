/**
 * npm run gates -- --database-url <url> [--schemas public,api]
 * Checks a live database and exits 1 when any error-level finding exists. The URL can also
 * come from DATABASE_URL, which keeps the password out of the process list.
 */
import { withClient } from "../lib/pg";
import { DEFAULT_EXPOSED_SCHEMAS, formatFindings, runGates } from "./run";

const USAGE = "Usage: npm run gates -- --database-url <postgres url> [--schemas public,api]";

export function parseGateArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { url: string; schemas: string[] } {
  let url = env.DATABASE_URL;
  let schemas: string[] = [...DEFAULT_EXPOSED_SCHEMAS];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    if (flag !== "--database-url" && flag !== "--schemas")
      throw new Error(`Unknown argument '${argv[i]}'. ${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`'${flag}' needs a value. ${USAGE}`);
    if (flag === "--database-url") url = value;
    else
      schemas = value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
  }
  if (!url)
    throw new Error(`No database given: pass '--database-url' or set DATABASE_URL. ${USAGE}`);
  if (schemas.length === 0) throw new Error(`'--schemas' needs at least one schema. ${USAGE}`);
  return { url, schemas };
}

async function main(): Promise<number> {
  const { url, schemas } = parseGateArgs(process.argv.slice(2), process.env);
  const findings = await withClient(url, (client) => runGates(client, schemas));
  console.log(formatFindings(findings));
  return findings.some((f) => f.severity === "error") ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      console.error(error.message);
      process.exitCode = 2;
    },
  );
}
