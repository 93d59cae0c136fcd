import type { Client } from "pg";
import { quoteIdent, withClient, type ConnectionConfig } from "../lib/pg";
import {
  AUTH_USERS,
  ORGANIZATIONS,
  PROFILES,
  readTenantCatalog,
  type TenantCatalog,
} from "./tenant-catalog";
import {
  formatTenantFile,
  TENANT_FILE_FORMAT,
  TENANT_FILE_VERSION,
  type TenantFileHeader,
} from "./tenant-file";

export interface TenantExport {
  readonly header: TenantFileHeader;
  /** The file's text (JSON lines). */
  readonly text: string;
}

/** "public.projects" as a quoted identifier pair. */
export function quoteTable(table: string): string {
  const dot = table.indexOf(".");
  return `${quoteIdent(table.slice(0, dot))}.${quoteIdent(table.slice(dot + 1))}`;
}

/**
 * One organization's rows from every tenant table, and the profiles of its members and of every
 * user its rows reference, read in one REPEATABLE READ, READ ONLY transaction: one snapshot, so
 * a row and the rows it references are from the same moment. row_security is off so a role
 * that RLS would filter fails loudly instead of exporting part of the organization.
 */
export async function exportTenant(
  connection: ConnectionConfig,
  organizationId: string,
): Promise<TenantExport> {
  return withClient(connection, async (client) => {
    await client.query("begin isolation level repeatable read read only");
    try {
      await client.query("set local row_security = off");
      const result = await readTenant(client, organizationId);
      await client.query("commit");
      return result;
    } catch (error) {
      await client.query("rollback");
      throw error;
    }
  });
}

async function readTenant(client: Client, organizationId: string): Promise<TenantExport> {
  const catalog = await readTenantCatalog(client);
  const { rows: found } = await client.query(
    `select current_database() as database, current_setting('server_version') as version,
            exists (select 1 from public.organizations where id = $1) as found`,
    [organizationId],
  );
  if (!found[0].found) {
    throw new Error(
      `Organization '${organizationId}' does not exist in database '${found[0].database}'. ` +
        "Pass the id of public.organizations (select id, slug from public.organizations).",
    );
  }
  const byTable = new Map<string, string[]>();
  for (const table of catalog.tables.filter((t) => t !== PROFILES)) {
    const column = table === ORGANIZATIONS ? "id" : "organization_id";
    byTable.set(
      table,
      await selectRows(client, catalog, table, `${quoteIdent(column)} = $1`, [organizationId]),
    );
  }
  const userIds = getReferencedUserIds(catalog, byTable);
  byTable.set(
    PROFILES,
    await selectRows(client, catalog, PROFILES, "id = any ($1::uuid[])", [userIds]),
  );
  const header: TenantFileHeader = {
    format: TENANT_FILE_FORMAT,
    version: TENANT_FILE_VERSION,
    source: { database: found[0].database, serverVersion: found[0].version },
    exportedAt: new Date().toISOString(),
    organizationId,
    profiles: "members-and-referenced",
    tables: catalog.tables.map((name) => ({ name, rows: byTable.get(name)!.length })),
  };
  const rows = catalog.tables.flatMap((table) =>
    byTable.get(table)!.map((text) => ({ table, text })),
  );
  return { header, text: formatTenantFile(header, rows) };
}

async function selectRows(
  client: Client,
  catalog: TenantCatalog,
  table: string,
  where: string,
  values: unknown[],
): Promise<string[]> {
  const key = catalog.primaryKeys[table];
  const order =
    key.length > 0 ? ` order by ${key.map((c) => `t.${quoteIdent(c)}`).join(", ")}` : "";
  const { rows } = await client.query(
    `select to_json(t)::text as row from ${quoteTable(table)} t where ${where}${order}`,
    values,
  );
  return rows.map((row) => row.row as string);
}

/** Every user a row points at through a foreign key to profiles or auth.users: members included. */
function getReferencedUserIds(
  catalog: TenantCatalog,
  byTable: ReadonlyMap<string, readonly string[]>,
): string[] {
  const ids = new Set<string>();
  for (const fk of catalog.foreignKeys) {
    if (fk.refTable !== PROFILES && fk.refTable !== AUTH_USERS) continue;
    if (fk.columns.length !== 1 || fk.table === PROFILES) continue;
    for (const text of byTable.get(fk.table) ?? []) {
      const value = (JSON.parse(text) as Record<string, unknown>)[fk.columns[0]];
      if (typeof value === "string") ids.add(value);
    }
  }
  return [...ids].sort();
}
