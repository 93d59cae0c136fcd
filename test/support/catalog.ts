import type { Client } from "pg";
import { withClient } from "../../components/lib/pg";

/**
 * Everything a deploy could change in a database, as sorted text: relations, columns,
 * functions, policies, triggers, privileges and the migration history. Two equal snapshots
 * mean the database was left as it was.
 */
export async function getCatalogSnapshot(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const history = await historySource(client);
    const { rows } = await client.query<{ item: string }>(`
      with user_namespaces as (
        select oid, nspname from pg_namespace
         where nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and nspname not like 'pg_temp%' and nspname not like 'pg_toast_temp%'
      )
      select 'schema ' || nspname || ' ' || coalesce((select nspacl::text from pg_namespace p where p.oid = n.oid), '') as item from user_namespaces n
      union all
      select 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' rls=' || c.relrowsecurity || ' acl=' || coalesce(c.relacl::text, '')
        from pg_class c join user_namespaces n on n.oid = c.relnamespace
      union all
      select 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
        from pg_attribute a join pg_class c on c.oid = a.attrelid join user_namespaces n on n.oid = c.relnamespace
       where a.attnum > 0 and not a.attisdropped
      union all
      select 'function ' || p.oid::regprocedure::text || ' ' || md5(pg_get_functiondef(p.oid)) || ' acl=' || coalesce(p.proacl::text, '')
        from pg_proc p join user_namespaces n on n.oid = p.pronamespace where p.prokind in ('f', 'p')
      union all
      select 'policy ' || schemaname || '.' || tablename || ' ' || policyname || ' ' || coalesce(qual, '') || ' ' || coalesce(with_check, '') from pg_policies
      union all
      select 'trigger ' || t.tgrelid::regclass::text || ' ' || t.tgname || ' ' || md5(pg_get_triggerdef(t.oid)) from pg_trigger t where not t.tgisinternal
      union all
      select 'history ' || string_agg(track || '/' || version || ':' || checksum, ',' order by track, version)
        ${history}
    `);
    return rows
      .map((r) => r.item)
      .filter((item) => item !== null)
      .sort();
  });
}

/** The history table may not exist yet; a missing table reads as no rows. */
async function historySource(client: Client): Promise<string> {
  const { rows } = await client.query(
    "select to_regclass('orgstack.schema_migrations') is not null as present",
  );
  return rows[0].present
    ? "from orgstack.schema_migrations h"
    : "from (select null::text as track, null::text as version, null::text as checksum where false) h";
}
