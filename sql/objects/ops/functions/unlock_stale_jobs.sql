-- orgstack:object function ops.unlock_stale_jobs()
-- unlock_stale_jobs() -> integer: puts running jobs whose lock expired back in the queue (or
-- into 'dead' when out of attempts), so a crashed worker's jobs show as queued again. Claiming
-- picks expired jobs up anyway; this keeps the status honest. Callers: the maintenance job.
create or replace function ops.unlock_stale_jobs()
returns integer
language sql
set search_path = ''
as $$
  with unlocked as (
    update ops.jobs j
       set status = case when j.attempts >= j.max_attempts then 'dead' else 'queued' end,
           last_error = coalesce(j.last_error, 'lock expired: the worker stopped without finishing'),
           locked_by = null, locked_until = null, updated_at = now()
     where j.status = 'running' and j.locked_until < now()
    returning 1
  )
  select count(*)::integer from unlocked
$$;
revoke execute on function ops.unlock_stale_jobs() from public;
grant execute on function ops.unlock_stale_jobs() to service_role;
