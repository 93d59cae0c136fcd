import * as crypto from "crypto";
import type { Client } from "pg";
import { quoteIdent, withClient, withTransaction, type ConnectionConfig } from "../lib/pg";
import { defineProblemListError } from "../lib/problems";
import { ORGANIZATIONS, PROFILES, readTenantCatalog, type TenantCatalog } from "./tenant-catalog";
import { quoteTable } from "./tenant-export";
import { parseTenantFile, type TenantFile, type TenantRow } from "./tenant-file";
import { getLinkProblems, getNewIds, remapText } from "./tenant-links";
import { resolveUsers, type UserResolution } from "./tenant-users";

export const TenantImportError = defineProblemListError(
  "TenantImportError",
  (source: string) => `Cannot import '${source}'; nothing was written:`,
);

/** Rows per INSERT: bounds one statement's parameter text for a large organization. */
const BATCH_ROWS = 500;

export interface TenantImportOptions {
  /** The file's text. */
  readonly text: string;
  /** Names the file in errors. */
  readonly source: string;
  /** Give every uuid primary key a fresh id, and rewrite every reference to it. */
  readonly newIds: boolean;
}

export interface TenantImportResult {
  readonly organizationId: string;
  readonly rows: Readonly<Record<string, number>>;
  readonly usersCreated: number;
  readonly usersMatched: number;
}

/**
 * Loads an exported organization in one transaction, or writes nothing. Run it as the database
 * owner (a superuser, or Supabase's postgres): it sets session_replication_role.
 */
export async function importTenant(
  connection: ConnectionConfig,
  options: TenantImportOptions,
): Promise<TenantImportResult> {
  const problems: string[] = [];
  const file = parseTenantFile(options.text, problems);
  TenantImportError.throwIfAny(options.source, problems);
  return withClient(connection, (client) =>
    withTransaction(client, async () => {
      // Replica mode turns off user triggers for this transaction only: the rows are history,
      // not actions. With triggers on, each row would write fresh audit rows as if its users
      // had just acted, notify them again, re-add creators as owners and count members twice.
      // The exported audit rows are inserted as they were (the trail is append-only and
      // inserts are allowed); one audit row below records the import itself. Replica mode
      // also skips foreign key checks, so getLinkProblems checks every key first.
      await setReplicaMode(client);
      return loadTenant(client, file!, options);
    }),
  );
}

async function setReplicaMode(client: Client): Promise<void> {
  try {
    await client.query("set local session_replication_role = replica");
  } catch (error) {
    throw new Error(
      `Cannot set session_replication_role as '${String(client.user)}': ${(error as Error).message}. ` +
        "Import as a superuser (Supabase: postgres), or grant it on PostgreSQL 15 and later: " +
        "grant set on parameter session_replication_role to <role>.",
      { cause: error },
    );
  }
}

async function loadTenant(
  client: Client,
  file: TenantFile,
  options: TenantImportOptions,
): Promise<TenantImportResult> {
  const catalog = await readTenantCatalog(client);
  const problems = getLinkProblems(file, catalog);
  TenantImportError.throwIfAny(options.source, problems);
  const ids = options.newIds ? getNewIds(file, catalog, () => crypto.randomUUID()) : new Map();
  const users = await resolveUsers(client, file, problems);
  for (const [from, to] of users.ids) ids.set(from, to);
  const organizationId = ids.get(file.header.organizationId) ?? file.header.organizationId;
  problems.push(...(await getTargetProblems(client, file, organizationId)));
  TenantImportError.throwIfAny(options.source, problems);
  await createUsers(client, users);
  const rows: Record<string, number> = {};
  for (const table of catalog.tables) {
    const tableRows = file.rows.filter(
      (r) => r.table === table && (table !== PROFILES || users.created.has(String(r.values.id))),
    );
    if (tableRows.length === 0) continue;
    rows[table] = await insertRows(client, catalog, tableRows, ids);
  }
  await client.query(
    `insert into public.audit_logs (organization_id, action, table_name, record_id, new_data)
     values ($1::uuid, 'INSERT', 'orgstack.tenant_import', $3::text, $2::jsonb)`,
    [
      organizationId,
      JSON.stringify({ ...file.header.source, from: file.header.organizationId, rows }),
      organizationId,
    ],
  );
  return {
    organizationId,
    rows,
    usersCreated: users.created.size,
    usersMatched: users.matched,
  };
}

/** The organization must be new to the target: same id or same slug is refused. */
async function getTargetProblems(
  client: Client,
  file: TenantFile,
  organizationId: string,
): Promise<string[]> {
  const slug = file.rows.find((r) => r.table === ORGANIZATIONS)?.values.slug;
  const { rows } = await client.query(
    "select id, slug from public.organizations where id = $1 or slug = $2",
    [organizationId, slug],
  );
  return rows.map((row) =>
    row.id === organizationId
      ? `Organization ${organizationId} already exists in the target. Import with --new-ids for a copy.`
      : `Slug ${JSON.stringify(slug)} is taken in the target by organization ${row.id}. ` +
        "Rename one of them first (organizations.slug is unique).",
  );
}

/** Users the target lacks get an auth.users row; their profile comes from the file. */
async function createUsers(client: Client, users: UserResolution): Promise<void> {
  for (const [id, email] of users.created) {
    await client.query("insert into auth.users (id, email) values ($1, $2)", [id, email]);
  }
}

async function insertRows(
  client: Client,
  catalog: TenantCatalog,
  rows: readonly TenantRow[],
  ids: ReadonlyMap<string, string>,
): Promise<number> {
  const table = rows[0].table;
  const present = new Set(rows.flatMap((r) => Object.keys(r.values)));
  // Identity and generated columns are the target's to assign: source values would collide.
  const columns = catalog.columns[table]
    .filter((c) => !c.assigned && present.has(c.name))
    .map((c) => quoteIdent(c.name))
    .join(", ");
  let count = 0;
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS).map((r) => remapText(r.text, ids));
    const result = await client.query(
      `insert into ${quoteTable(table)} (${columns})
       select ${columns} from jsonb_populate_recordset(null::${quoteTable(table)}, $1::jsonb)`,
      [`[${batch.join(",")}]`],
    );
    count += result.rowCount ?? 0;
  }
  return count;
}
