-- orgstack:object function orgstack.get_tenant_references(regclass)
-- get_tenant_references(table) -> one row per foreign key of the table whose target is a tenant
-- table (has organization_id): its name, target, referencing columns in key order, and the
-- condition that finds the referenced row in the target (alias r) from the referencing row
-- passed as $1. Keys that already pair organization_id with organization_id (a composite
-- foreign key) are left out: the key itself keeps them in one organization. Read from the
-- catalog at run time, so a foreign key a migration adds later is covered without a redeploy.
-- PL/pgSQL rather than SQL: it runs for every written row, and PL/pgSQL keeps the query's plan
-- for the session where a SQL function (not inlinable: it sets search_path) plans it each call.
-- Caller: orgstack.trigger_guard_references().
create or replace function orgstack.get_tenant_references(source regclass)
returns table (name text, target regclass, columns text[], condition text)
language plpgsql
stable
set search_path = ''
as $$
begin
  return query
  select c.conname::text, c.confrelid::regclass,
         array_agg(a.attname::text order by k.position),
         string_agg(format('r.%I = ($1).%I', f.attname, a.attname), ' and ' order by k.position)
    from pg_catalog.pg_constraint c
   cross join lateral unnest(c.conkey, c.confkey) with ordinality as k (attnum, target_attnum, position)
    join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
    join pg_catalog.pg_attribute f on f.attrelid = c.confrelid and f.attnum = k.target_attnum
   where c.conrelid = get_tenant_references.source
     and c.contype = 'f'
     and exists (select 1 from pg_catalog.pg_attribute o
                  where o.attrelid = c.confrelid and o.attname = 'organization_id'
                    and o.attnum > 0 and not o.attisdropped)
   group by c.oid, c.conname, c.confrelid
  having not bool_or(a.attname = 'organization_id' and f.attname = 'organization_id')
   order by c.conname;
end;
$$;
revoke execute on function orgstack.get_tenant_references(regclass) from public;
