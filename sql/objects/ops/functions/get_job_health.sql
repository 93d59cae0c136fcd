-- orgstack:object function ops.get_job_health()
-- get_job_health() -> (kind, dead, stale): per job kind, jobs in the dead-letter state, and
-- stale ones: running with an expired lock, or queued 15 minutes past run_at. SECURITY
-- DEFINER because ops.jobs has RLS and no grant for pg_monitor; it returns counts only, never
-- payloads. Callers: pg_monitor, through ops.health().
create or replace function ops.get_job_health()
returns table (kind text, dead double precision, stale double precision)
language sql
stable
security definer
set search_path = ''
as $$
  select j.kind,
         (count(*) filter (where j.status = 'dead'))::float8,
         (count(*) filter (where (j.status = 'running' and j.locked_until < now())
                              or (j.status = 'queued' and j.run_at < now() - interval '15 minutes')))::float8
    from ops.jobs j
   where j.status in ('dead', 'running', 'queued')
   group by j.kind
$$;
revoke execute on function ops.get_job_health() from public;
grant execute on function ops.get_job_health() to pg_monitor;
