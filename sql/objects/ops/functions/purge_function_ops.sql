-- orgstack:object function ops.purge_function_ops(integer)
-- purge_function_ops(retention_days) -> integer: deletes edge-function invocation rows older
-- than retention_days, and rate-limit buckets idle for more than a day. An idle bucket is full
-- again by then (a rate limit's window is at most 86,400 s, components/functions/spec.ts), so
-- deleting it changes no caller's allowance: the next call starts a full bucket. Returns the
-- rows deleted. Callers: the maintenance job.
create or replace function ops.purge_function_ops(retention_days integer)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  invocations integer;
  buckets integer;
begin
  if retention_days is null or retention_days < 1 then
    raise exception using errcode = '22023',
      message = format('retention_days must be at least 1; found %s.', retention_days),
      hint = 'Set orgstack:retention.functionInvocationDays to a whole number of days.';
  end if;
  delete from ops.function_invocations i
   where i.created_at < now() - make_interval(days => retention_days);
  get diagnostics invocations = row_count;
  delete from ops.rate_limit_buckets b where b.updated_at < now() - interval '1 day';
  get diagnostics buckets = row_count;
  return invocations + buckets;
end;
$$;
revoke execute on function ops.purge_function_ops(integer) from public;
