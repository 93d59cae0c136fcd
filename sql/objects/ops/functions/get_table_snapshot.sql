-- orgstack:object function ops.get_table_snapshot()
-- get_table_snapshot() -> jsonb: {"<schema>.<table>": {"rows": n, "checksum": "<n>"}} for every
-- table pg_dump writes the rows of: every ordinary table outside the system schemas that no
-- extension owns. Not a fixed list of schemas: an app's own schema must not escape the drill.
-- The checksum is the sum of each row's md5 (first 60 bits) over its text form: independent of
-- row order and computed in constant memory; it finds lost or changed rows, not tampering.
-- Output settings are fixed so the text form of a row is the same on any server.
-- Must run in the repeatable-read transaction whose snapshot pg_dump --snapshot uses.
-- Callers: the backup runner (the stack's admin, or a member of pg_read_all_data).
create or replace function ops.get_table_snapshot()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set row_security = off
set timezone = 'UTC'
set datestyle = 'ISO, YMD'
set intervalstyle = 'postgres'
set extra_float_digits = 3
set bytea_output = 'hex'
as $$
declare
  result jsonb := '{}'::jsonb;
  item record;
  row_count bigint;
  checksum numeric;
begin
  if current_setting('transaction_isolation') not in ('repeatable read', 'serializable') then
    raise exception using errcode = '25001',
      message = 'ops.get_table_snapshot() needs one snapshot for every table.',
      hint = 'Call it in a repeatable read transaction, the one pg_export_snapshot() was called in.';
  end if;
  for item in
    select n.nspname, c.relname
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r'
      and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\_%'
      and not exists (
        select 1 from pg_catalog.pg_depend d
        where d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
          and d.objid = c.oid and d.deptype = 'e')
    order by 1, 2
  loop
    execute format(
      'select count(*), coalesce(sum((''x'' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0) from %I.%I t',
      item.nspname, item.relname)
      into row_count, checksum;
    result := result || jsonb_build_object(
      item.nspname || '.' || item.relname,
      jsonb_build_object('rows', row_count, 'checksum', checksum::text));
  end loop;
  return result;
end
$$;
revoke execute on function ops.get_table_snapshot() from public;
grant execute on function ops.get_table_snapshot() to pg_read_all_data;
