-- orgstack:object function ops.record_function_invocation(text, integer, integer, integer, text, text, text)
-- record_function_invocation(function_name, status, duration_ms, boot_ms, request_id, user_id,
-- error_code) -> void: appends one row to ops.function_invocations. The runtime writes its rows
-- in batches, calling this once per row over unnest() in one statement.
-- Callers: service_role (the edge runtime).
create or replace function ops.record_function_invocation(
  function_name text,
  status integer,
  duration_ms integer,
  boot_ms integer,
  request_id text,
  user_id text,
  error_code text
)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into ops.function_invocations
    (function_name, status, duration_ms, boot_ms, request_id, user_id, error_code)
  values (record_function_invocation.function_name, record_function_invocation.status,
          record_function_invocation.duration_ms, record_function_invocation.boot_ms,
          record_function_invocation.request_id, record_function_invocation.user_id,
          record_function_invocation.error_code)
$$;
revoke execute on function ops.record_function_invocation(text, integer, integer, integer, text, text, text) from public;
grant execute on function ops.record_function_invocation(text, integer, integer, integer, text, text, text) to service_role;
