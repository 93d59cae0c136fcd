-- orgstack:object function ops.get_statement_times(integer)
-- orgstack:requires function ops.get_stat_statements_schema()
-- get_statement_times(min_calls) -> (queryid, mean_ms): this database's statements called at
-- least min_calls times, with their mean execution time. The column is mean_exec_time from
-- PostgreSQL 13 and mean_time before (the seed's mean_time fails on 13+), picked by
-- server_version_num; pg_stat_statements is found in whichever schema holds it. Without it,
-- raises undefined_table, which ops.health_values() reports as 'unknown'.
-- SECURITY DEFINER because pg_monitor has no USAGE on the schema that holds the extension
-- (extensions); it returns query ids and times only, never query text.
-- Callers: pg_monitor, through ops.health().
create or replace function ops.get_statement_times(min_calls integer)
returns table (queryid text, mean_ms double precision)
language plpgsql
security definer
set search_path = ''
as $$
declare
  extension_schema text;
  mean_column text := case when current_setting('server_version_num')::integer >= 130000
                           then 'mean_exec_time' else 'mean_time' end;
begin
  extension_schema := ops.get_stat_statements_schema();
  return query execute format(
    'select s.queryid::text, s.%I::float8 from %I.pg_stat_statements s
      where s.dbid = (select d.oid from pg_catalog.pg_database d
                       where d.datname = pg_catalog.current_database())
        and s.calls >= $1',
    mean_column, extension_schema)
  using min_calls;
end;
$$;
revoke execute on function ops.get_statement_times(integer) from public;
grant execute on function ops.get_statement_times(integer) to pg_monitor;
