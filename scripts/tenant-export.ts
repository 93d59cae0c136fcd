/**
 * Writes one organization's rows, from every tenant table, as one consistent snapshot file:
 *
 *   npm run tenant:export -- --organization <uuid> (--database-url <url> | --stack <name>) --out <file>
 *
 * It connects as the database owner: the URL's user, or with --stack PGUSER (default postgres)
 * at the stack's host and database. The password comes from PGPASSWORD or ~/.pgpass, never
 * from argv. The file holds personal data: it is written with mode 0600, under a temporary
 * name first, so a failed export leaves no file that looks complete.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
  getStackClientConfig,
  getStackDatabase,
  parseTenantExportArgs,
  TenantCliError,
  type TenantTarget,
} from "../components/backup/tenant-cli";
import { exportTenant } from "../components/backup/tenant-export";
import { describePgError, type ConnectionConfig } from "../components/lib/pg";

const ROOT = path.resolve(__dirname, "..");

/** The connection for a URL or a stack; shared with tenant-import.ts. */
export function getTargetConnection(
  target: TenantTarget,
  applicationName: string,
): ConnectionConfig {
  if (target.kind === "url") return target.url;
  let output: string;
  try {
    output = execFileSync(
      "pulumi",
      ["stack", "output", "connections", "--show-secrets", "--json", "--stack", target.stack],
      { cwd: ROOT, encoding: "utf8", stdio: ["inherit", "pipe", "pipe"] },
    );
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    const reason =
      failure.code === "ENOENT"
        ? "the Pulumi CLI is not on PATH"
        : String(failure.stderr ?? failure.message).trim();
    throw new Error(
      `Could not read the outputs of stack '${target.stack}': ${reason}. Pass --database-url instead.`,
      { cause: error },
    );
  }
  const database = getStackDatabase(target.stack, output);
  return getStackClientConfig(database, process.env.PGUSER ?? "postgres", applicationName);
}

async function main(): Promise<void> {
  try {
    const args = parseTenantExportArgs(process.argv.slice(2));
    if (fs.existsSync(args.out)) {
      throw new Error(
        `'--out': ${args.out} already exists. Choose a new file; nothing was written.`,
      );
    }
    const started = Date.now();
    const connection = getTargetConnection(args.target, "orgstack tenant:export");
    const { header, text } = await exportTenant(connection, args.organizationId);
    const partial = `${args.out}.partial`;
    fs.writeFileSync(partial, text, { mode: 0o600, flag: "wx" });
    fs.renameSync(partial, args.out);
    const rows = header.tables.reduce((sum, t) => sum + t.rows, 0);
    process.stderr.write(
      `Exported organization ${header.organizationId}: ${rows} rows from ${header.tables.length} ` +
        `tables, ${Buffer.byteLength(text)} bytes, in ${Date.now() - started} ms, to ${args.out}.\n` +
        header.tables.map((t) => `  ${t.name}: ${t.rows}\n`).join(""),
    );
  } catch (error) {
    process.stderr.write(`${describePgError(error)}\n`);
    process.exitCode = error instanceof TenantCliError ? 2 : 1;
  }
}

if (require.main === module) void main();
