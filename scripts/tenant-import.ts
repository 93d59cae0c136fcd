/**
 * Loads a file tenant:export wrote into another stack's database, in one transaction:
 *
 *   npm run tenant:import -- --in <file> (--database-url <url> | --stack <name>) [--new-ids]
 *
 * It connects as the database owner (it sets session_replication_role; see
 * components/backup/tenant-import.ts): the URL's user, or with --stack PGUSER (default
 * postgres). The password comes from PGPASSWORD or ~/.pgpass. Any problem writes nothing.
 */
import * as fs from "fs";
import { parseTenantImportArgs, TenantCliError } from "../components/backup/tenant-cli";
import { importTenant, TenantImportError } from "../components/backup/tenant-import";
import { describePgError } from "../components/lib/pg";
import { getTargetConnection } from "./tenant-export";

async function main(): Promise<void> {
  try {
    const args = parseTenantImportArgs(process.argv.slice(2));
    let text: string;
    try {
      text = fs.readFileSync(args.in, "utf8");
    } catch (error) {
      throw new Error(`'--in': cannot read ${args.in}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const started = Date.now();
    const connection = getTargetConnection(args.target, "orgstack tenant:import");
    const result = await importTenant(connection, { text, source: args.in, newIds: args.newIds });
    process.stderr.write(
      `Imported organization ${result.organizationId} in ${Date.now() - started} ms ` +
        `(${result.usersCreated} users created, ${result.usersMatched} matched):\n` +
        Object.entries(result.rows)
          .map(([table, n]) => `  ${table}: ${n}\n`)
          .join(""),
    );
  } catch (error) {
    process.stderr.write(`${describePgError(error)}\n`);
    process.exitCode =
      error instanceof TenantCliError || error instanceof TenantImportError ? 2 : 1;
  }
}

if (require.main === module) void main();
