import type { Client } from "pg";
import { withClient, type ConnectionConfig } from "../lib/pg";
import { getAccessProfile, getProfileSignatures } from "./erd-access";
import type { ErdCatalog, ErdColumn, ErdForeignKey, ErdTable } from "./erd";

/**
 * Reads the schema picture's catalog from a live database: two catalog queries, names only as
 * parameters. A tenant table is one with `organization_id uuid` (the same rule tenant export
 * uses, backup/tenant-catalog.ts); its profile is told by its policies' names (erd-access.ts).
 * Catalog reads need no privilege: the monitor role can draw the picture too.
 */

/** System schemas, and those of the extensions the database layer installs. */
export const ERD_SKIPPED_SCHEMAS = ["pg_catalog", "information_schema", "extensions", "cron"];

/** Ordinary and partitioned tables, not partitions nor tables an extension owns. */
const TABLES_SQL = `
select n.nspname as schema, c.relname as name, c.relrowsecurity as rls,
       coalesce((select json_agg(json_build_object(
                          'name', a.attname,
                          'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
                          'notNull', a.attnotnull) order by a.attnum)
                   from pg_catalog.pg_attribute a
                  where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]') as columns,
       array(select a.attname::text
               from pg_catalog.pg_index i
               cross join unnest(i.indkey) with ordinality u(num, o)
               join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = u.num
              where i.indrelid = c.oid and i.indisprimary order by u.o) as primary_key,
       array(select p.polname::text from pg_catalog.pg_policy p
              where p.polrelid = c.oid order by p.polname) as policies,
       exists (select 1 from pg_catalog.pg_attribute a
                where a.attrelid = c.oid and a.attname = 'organization_id'
                  and a.atttypid = 'uuid'::regtype and not a.attisdropped) as tenant
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
 where c.relkind in ('r', 'p') and not c.relispartition
   and n.nspname <> all ($1::text[]) and n.nspname not like 'pg\\_%'
   and ($2::text[] is null or n.nspname = any ($2::text[]))
   and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid
                      and d.deptype = 'e')
 order by 1, 2`;

const FOREIGN_KEYS_SQL = `
select n.nspname as schema, c.relname as name, rn.nspname as ref_schema, rc.relname as ref_name,
       array(select a.attname::text from unnest(k.conkey) with ordinality u(num, i)
               join pg_catalog.pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.num
              order by u.i) as columns,
       array(select a.attname::text from unnest(k.confkey) with ordinality u(num, i)
               join pg_catalog.pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.num
              order by u.i) as ref_columns
  from pg_catalog.pg_constraint k
  join pg_catalog.pg_class c on c.oid = k.conrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  join pg_catalog.pg_class rc on rc.oid = k.confrelid
  join pg_catalog.pg_namespace rn on rn.oid = rc.relnamespace
 where k.contype = 'f' and k.conparentid = 0
   and (n.nspname, c.relname) in (select * from unnest($1::text[], $2::text[]))
 order by 1, 2, k.conname`;

export interface ReadErdCatalogOptions {
  /** Only these schemas; default every schema but ERD_SKIPPED_SCHEMAS and pg_*. */
  readonly schemas?: readonly string[];
}

/** The tables and foreign keys of the connected database, as the picture needs them. */
export async function readErdCatalog(
  client: Client,
  options: ReadErdCatalogOptions = {},
): Promise<ErdCatalog> {
  const signatures = getProfileSignatures();
  const rows = (await client.query(TABLES_SQL, [ERD_SKIPPED_SCHEMAS, options.schemas ?? null]))
    .rows;
  const tables = rows.map((row): ErdTable => ({
    schema: row.schema,
    name: row.name,
    columns: row.columns as ErdColumn[],
    primaryKey: row.primary_key,
    rowLevelSecurity: row.rls,
    tenant: row.tenant
      ? { profile: getAccessProfile(row.name, row.policies, signatures) }
      : undefined,
  }));
  const fkRows = (
    await client.query(FOREIGN_KEYS_SQL, [tables.map((t) => t.schema), tables.map((t) => t.name)])
  ).rows;
  const foreignKeys = fkRows.map((row): ErdForeignKey => ({
    from: { schema: row.schema, name: row.name },
    columns: row.columns,
    to: { schema: row.ref_schema, name: row.ref_name },
    refColumns: row.ref_columns,
  }));
  return { tables, foreignKeys };
}

/** readErdCatalog over a connection of its own. */
export function loadErdCatalog(
  connection: ConnectionConfig,
  options: ReadErdCatalogOptions = {},
): Promise<ErdCatalog> {
  return withClient(connection, (client) => readErdCatalog(client, options));
}
