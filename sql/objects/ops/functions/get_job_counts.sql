-- orgstack:object function ops.get_job_counts()
-- get_job_counts() -> (kind, status, jobs): jobs in the queue per kind and status ('dead' is
-- the dead letter). SECURITY DEFINER because ops.jobs has RLS and no grant for pg_monitor;
-- counts only, never payloads or errors. Callers: pg_monitor (the edge runtime's /metrics and
-- /ops, as the stack's monitor login).
create or replace function ops.get_job_counts()
returns table (kind text, status text, jobs bigint)
language sql
stable
security definer
set search_path = ''
as $$
  select j.kind, j.status, count(*)
    from ops.jobs j
   group by j.kind, j.status
   order by j.kind, j.status
$$;
revoke execute on function ops.get_job_counts() from public;
grant execute on function ops.get_job_counts() to pg_monitor;
