import * as fs from "fs";
import type { Client } from "pg";
import { getPlatformRoleSpecs } from "../database/plan";
import { platformRolesProvider, type SharedRoleSpec } from "../database/platform-roles-provider";
import { getConnectionFromUrl, quoteIdent, withClient, withDatabase } from "../lib/pg";
import { parseArchiveName } from "./naming";
import { getOpensslCommand, getPgCommand, runPipeline } from "./processes";
import { getChildEnv } from "./logical-backup";

export interface RestoreOptions {
  readonly file: string;
  /** Admin URL of the target database; it is created when missing. */
  readonly targetUrl: string;
  /** Drop and create the target again when it holds anything. */
  readonly force: boolean;
  readonly encryptionKey?: string;
  /** Cluster-wide roles the archive's grants name; default: the stack's platform roles. */
  readonly roles?: readonly SharedRoleSpec[];
  readonly log?: (line: string) => void;
}

/**
 * Never a restore target: the maintenance database (pg_cron's and every admin's first
 * connection) and the templates every CREATE DATABASE copies.
 */
export const RESERVED_DATABASES: readonly string[] = ["postgres", "template0", "template1"];

/** Objects a database holds beyond what CREATE DATABASE gives it. */
const CONTENTS_QUERY = `
  select 'schema ' || n.nspname as object from pg_namespace n
  where n.nspname not in ('public', 'information_schema') and n.nspname not like 'pg\\_%'
  union all
  select 'relation ' || n.nspname || '.' || c.relname from pg_class c
  join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'
  union all
  select 'function ' || p.oid::regprocedure::text from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'
  union all
  select 'extension ' || extname from pg_extension where extname <> 'plpgsql'
  order by 1`;

/** What the restore will do, printed before it does anything. */
export function getRestorePlan(options: RestoreOptions, contents: readonly string[] | undefined) {
  const target = new URL(options.targetUrl);
  const database = decodeURIComponent(target.pathname.slice(1));
  const taken = parseArchiveName(options.file.split("/").pop() ?? "")?.takenAt.toISOString();
  const roles = (options.roles ?? getPlatformRoleSpecs()).map((r) => r.name).join(", ");
  return [
    `Restore plan for '${options.file}'${taken ? ` (taken ${taken})` : ""}:`,
    contents === undefined
      ? `  1. Create database '${database}' on ${target.host}.`
      : contents.length === 0
        ? `  1. Use the empty database '${database}' on ${target.host}.`
        : `  1. Drop database '${database}' on ${target.host} (${contents.length} objects, --force) and create it again.`,
    `  2. Ensure the platform roles ${roles} (cluster-wide: created if missing, else adopted).`,
    `  3. pg_restore${options.encryptionKey ? " (decrypted by openssl)" : ""} in one transaction, owners and grants included, stopping at the first error.`,
  ];
}

/** The objects in the target, or undefined when it does not exist. */
export async function getTargetContents(targetUrl: string): Promise<string[] | undefined> {
  const name = decodeURIComponent(new URL(targetUrl).pathname.slice(1));
  const exists = await withClient(withDatabase(targetUrl, "postgres"), (c) =>
    c.query("select 1 from pg_database where datname = $1", [name]),
  );
  if (exists.rowCount === 0) return undefined;
  return withClient(targetUrl, async (c) =>
    (await c.query<{ object: string }>(CONTENTS_QUERY)).rows.map((r) => r.object),
  );
}

/** Restores an archive; refuses a non-empty target unless forced. Returns the seconds it took. */
export async function runRestore(options: RestoreOptions): Promise<number> {
  const log = options.log ?? (() => undefined);
  if (!fs.existsSync(options.file)) throw new Error(`Archive '${options.file}' does not exist.`);
  await checkNotTemplate(options.targetUrl);
  const contents = await getTargetContents(options.targetUrl);
  for (const line of getRestorePlan(options, contents)) log(line);
  if (contents !== undefined && contents.length > 0 && !options.force) {
    const shown = contents.slice(0, 5).join(", ") + (contents.length > 5 ? ", ..." : "");
    throw new Error(
      `Refusing to restore into database '${new URL(options.targetUrl).pathname.slice(1)}': it is not empty (${contents.length} objects: ${shown}). Restore into a new database, or pass --force to drop it and create it again.`,
    );
  }
  const startedMs = Date.now();
  await recreateDatabase(options.targetUrl, contents);
  await ensureRoles(options.targetUrl, options.roles ?? getPlatformRoleSpecs());
  const env = getChildEnv({ url: options.targetUrl, encryptionKey: options.encryptionKey });
  const args = [
    "--exit-on-error",
    "--single-transaction",
    "--no-password",
    `--dbname=${env.PGDATABASE}`,
  ];
  if (options.encryptionKey) {
    await runPipeline([getOpensslCommand(true), getPgCommand("pg_restore", args)], {
      env,
      stdinFile: options.file,
    });
  } else {
    await runPipeline([getPgCommand("pg_restore", [...args, options.file])], { env });
  }
  return (Date.now() - startedMs) / 1000;
}

/** Refuses the reserved databases and any template (an ephemeral stack's, for one). */
async function checkNotTemplate(targetUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(targetUrl).pathname.slice(1));
  const { rows } = await withClient(withDatabase(targetUrl, "postgres"), (c) =>
    c.query("select 1 from pg_database where datname = $1 and datistemplate", [name]),
  );
  if (RESERVED_DATABASES.includes(name) || rows.length > 0) {
    throw new Error(
      `Refusing to restore into database '${name}': it is ${name === "postgres" ? "the server's maintenance database" : "a template (every new database would copy the backup)"}. Restore into a new database.`,
    );
  }
}

async function recreateDatabase(targetUrl: string, contents: readonly string[] | undefined) {
  if (contents !== undefined && contents.length === 0) return;
  const name = quoteIdent(decodeURIComponent(new URL(targetUrl).pathname.slice(1)));
  await withClient(withDatabase(targetUrl, "postgres"), async (c: Client) => {
    if (contents !== undefined) await c.query(`drop database ${name} with (force)`);
    await c.query(`create database ${name}`);
  });
}

async function ensureRoles(targetUrl: string, roles: readonly SharedRoleSpec[]) {
  await platformRolesProvider.create({ connection: getConnectionFromUrl(targetUrl), roles });
}
