-- orgstack:object function ops.get_slow_statements(integer)
-- orgstack:requires function ops.get_stat_statements_schema()
-- get_slow_statements(top) -> (queryid, query, calls, mean_ms, total_ms): this database's `top`
-- statements by mean execution time (mean_exec_time from PostgreSQL 13, mean_time before),
-- with pg_stat_statements' normalized text (constants are $n), cut to 500 characters. Utility
-- statements keep their literals (create role ... password '...'), so a text that mentions a
-- password or secret is replaced by a note: the dashboard is a web page.
-- SECURITY DEFINER because pg_monitor has no USAGE on the schema that holds the extension;
-- pg_monitor may read every statement's text through pg_read_all_stats anyway. Without the
-- extension, raises undefined_table. Callers: pg_monitor (the edge runtime's /ops dashboard).
create or replace function ops.get_slow_statements(top integer)
returns table (queryid text, query text, calls bigint, mean_ms double precision, total_ms double precision)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  extension_schema text;
  suffix text := case when current_setting('server_version_num')::integer >= 130000
                      then '_exec_time' else '_time' end;
begin
  extension_schema := ops.get_stat_statements_schema();
  return query execute format(
    'select s.queryid::text,
            case when s.query ~* ''password|secret'' then ''(hidden: the text mentions a password)''
                 else left(s.query, 500) end,
            s.calls, s.%I::float8, s.%I::float8
       from %I.pg_stat_statements s
      where s.dbid = (select d.oid from pg_catalog.pg_database d
                       where d.datname = pg_catalog.current_database())
      order by s.%I desc limit $1',
    'mean' || suffix, 'total' || suffix, extension_schema, 'mean' || suffix)
  using greatest(least(top, 100), 0);
end;
$$;
revoke execute on function ops.get_slow_statements(integer) from public;
grant execute on function ops.get_slow_statements(integer) to pg_monitor;
