-- orgstack:object function ops.get_function_metrics()
-- get_function_metrics() -> (function_name, status, calls, duration_ms): edge-function
-- invocations per function and HTTP status, and their summed duration, over the rows the
-- invocation log still holds (ops.purge_function_ops keeps orgstack:retention's days, so a
-- Prometheus counter built from it resets when old rows go). SECURITY DEFINER because
-- ops.function_invocations has RLS and no grant for pg_monitor; counts only, never user ids.
-- Callers: pg_monitor (the edge runtime's /metrics and /ops, as the stack's monitor login).
create or replace function ops.get_function_metrics()
returns table (function_name text, status integer, calls bigint, duration_ms bigint)
language sql
stable
security definer
set search_path = ''
as $$
  select i.function_name, i.status, count(*), coalesce(sum(i.duration_ms), 0)::bigint
    from ops.function_invocations i
   group by i.function_name, i.status
   order by i.function_name, i.status
$$;
revoke execute on function ops.get_function_metrics() from public;
grant execute on function ops.get_function_metrics() to pg_monitor;
