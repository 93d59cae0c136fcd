-- orgstack:object function ops.get_stat_statements_schema()
-- get_stat_statements_schema() -> text: the schema pg_stat_statements is installed in (extensions
-- here, public on some hosts); raises undefined_table when it is not installed, which the health
-- catalog reports as 'unknown'. Callers: the SECURITY DEFINER readers of pg_stat_statements
-- (ops.get_statement_times, ops.get_slow_statements), never a role directly.
create or replace function ops.get_stat_statements_schema()
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  extension_schema text;
begin
  select n.nspname into extension_schema
    from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
   where e.extname = 'pg_stat_statements';
  if extension_schema is null then
    raise exception using errcode = 'undefined_table',
      message = 'pg_stat_statements is not installed in this database.',
      hint = 'Add it to shared_preload_libraries and create extension pg_stat_statements.';
  end if;
  return extension_schema;
end;
$$;
revoke execute on function ops.get_stat_statements_schema() from public;
