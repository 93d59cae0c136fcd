-- orgstack:object function ops.get_function_errors(integer)
-- get_function_errors(top) -> (function_name, status, error_code, request_id, created_at): the
-- latest `top` edge-function invocations that did not answer 2xx, newest first. SECURITY
-- DEFINER because ops.function_invocations has RLS and no grant for pg_monitor; never the
-- caller's user id. Callers: pg_monitor (the edge runtime's /ops dashboard).
create or replace function ops.get_function_errors(top integer)
returns table (
  function_name text, status integer, error_code text, request_id text, created_at timestamptz
)
language sql
stable
security definer
set search_path = ''
as $$
  select i.function_name, i.status, i.error_code, i.request_id, i.created_at
    from ops.function_invocations i
   where i.status not between 200 and 299
   order by i.created_at desc, i.id desc
   limit greatest(least(get_function_errors.top, 100), 0)
$$;
revoke execute on function ops.get_function_errors(integer) from public;
grant execute on function ops.get_function_errors(integer) to pg_monitor;
