import type { Client } from "pg";

/**
 * What tenant export and import read from the catalog: which tables hold an organization's
 * rows, their columns, and the foreign keys between them. Found, never listed by hand, so an
 * app's own tenant tables travel with the core ones.
 */
export interface TenantColumn {
  readonly name: string;
  /** Identity (`generated always/by default as identity`) or stored generated: the target assigns it. */
  readonly assigned: boolean;
}

export interface TenantForeignKey {
  /** "schema.table" of the referencing table. */
  readonly table: string;
  readonly columns: readonly string[];
  readonly refTable: string;
  readonly refColumns: readonly string[];
}

export interface TenantCatalog {
  /** "schema.table" of every table with an organization's rows, in foreign key order. */
  readonly tables: readonly string[];
  readonly columns: Readonly<Record<string, readonly TenantColumn[]>>;
  /** Primary key columns per table (empty when it has none). */
  readonly primaryKeys: Readonly<Record<string, readonly string[]>>;
  /** Every foreign key whose referencing table is one of `tables`. */
  readonly foreignKeys: readonly TenantForeignKey[];
}

export const ORGANIZATIONS = "public.organizations";
/** Profiles are per user, not per organization: the file holds those its rows reference. */
export const PROFILES = "public.profiles";
export const AUTH_USERS = "auth.users";
/** Schemas that never hold tenant rows: the system's, the auth shim's and extensions'. */
const SKIPPED_SCHEMAS = ["pg_catalog", "information_schema", "auth", "extensions", "cron"];

const TABLES_SQL = `
select n.nspname || '.' || c.relname as name
  from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
 where c.relkind in ('r', 'p') and not c.relispartition
   and n.nspname <> all ($1) and n.nspname not like 'pg\\_%'
   and (n.nspname || '.' || c.relname in ($2, $3)
        or exists (select 1 from pg_catalog.pg_attribute a
                    where a.attrelid = c.oid and a.attname = 'organization_id'
                      and a.atttypid = 'uuid'::regtype and not a.attisdropped))`;

const COLUMNS_SQL = `
select n.nspname || '.' || c.relname as name, a.attname,
       a.attidentity <> '' or a.attgenerated <> '' as assigned
  from pg_catalog.pg_attribute a
  join pg_catalog.pg_class c on c.oid = a.attrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
 where n.nspname || '.' || c.relname = any ($1) and a.attnum > 0 and not a.attisdropped
 order by 2, a.attnum`;

const PRIMARY_KEYS_SQL = `
select n.nspname || '.' || c.relname as name,
       array(select a.attname from unnest(i.indkey) with ordinality u(num, o)
               join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = u.num
              order by u.o)::text[] as columns
  from pg_catalog.pg_index i
  join pg_catalog.pg_class c on c.oid = i.indrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
 where i.indisprimary and n.nspname || '.' || c.relname = any ($1)`;

const FOREIGN_KEYS_SQL = `
select n.nspname || '.' || c.relname as table, rn.nspname || '.' || rc.relname as ref_table,
       array(select a.attname from unnest(k.conkey) with ordinality u(num, i)
               join pg_catalog.pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.num
              order by u.i)::text[] as columns,
       array(select a.attname from unnest(k.confkey) with ordinality u(num, i)
               join pg_catalog.pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.num
              order by u.i)::text[] as ref_columns
  from pg_catalog.pg_constraint k
  join pg_catalog.pg_class c on c.oid = k.conrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  join pg_catalog.pg_class rc on rc.oid = k.confrelid
  join pg_catalog.pg_namespace rn on rn.oid = rc.relnamespace
 where k.contype = 'f' and n.nspname || '.' || c.relname = any ($1)
 order by 1, k.conname`;

/** Reads the tenant tables of the connected database, in foreign key order. */
export async function readTenantCatalog(client: Client): Promise<TenantCatalog> {
  const tables = (await client.query(TABLES_SQL, [SKIPPED_SCHEMAS, ORGANIZATIONS, PROFILES])).rows
    .map((row) => row.name as string)
    .sort();
  const columns: Record<string, TenantColumn[]> = {};
  for (const row of (await client.query(COLUMNS_SQL, [tables])).rows) {
    (columns[row.name] ??= []).push({ name: row.attname, assigned: row.assigned });
  }
  const primaryKeys: Record<string, string[]> = Object.fromEntries(tables.map((t) => [t, []]));
  for (const row of (await client.query(PRIMARY_KEYS_SQL, [tables])).rows) {
    primaryKeys[row.name] = row.columns;
  }
  const foreignKeys = (await client.query(FOREIGN_KEYS_SQL, [tables])).rows.map(
    (row): TenantForeignKey => ({
      table: row.table,
      columns: row.columns,
      refTable: row.ref_table,
      refColumns: row.ref_columns,
    }),
  );
  return {
    tables: orderByForeignKeys(tables, foreignKeys),
    columns,
    primaryKeys,
    foreignKeys,
  };
}

/**
 * Tables ordered so that every table comes after the tables it references (ties by name), so
 * rows load parents first. A cycle between distinct tables cannot be loaded row by row in one
 * pass: it is reported, naming the tables left.
 */
export function orderByForeignKeys(
  tables: readonly string[],
  foreignKeys: readonly Pick<TenantForeignKey, "table" | "refTable">[],
): string[] {
  const pending = new Set(tables);
  const ordered: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending]
      .filter((table) =>
        foreignKeys.every(
          (fk) => fk.table !== table || fk.refTable === table || !pending.has(fk.refTable),
        ),
      )
      .sort();
    if (ready.length === 0) {
      throw new Error(
        `Tenant tables reference each other in a cycle: ${[...pending].sort().join(", ")}. ` +
          "Export and import load parents before children; break the cycle with a nullable key.",
      );
    }
    for (const table of ready) {
      pending.delete(table);
      ordered.push(table);
    }
  }
  return ordered;
}
