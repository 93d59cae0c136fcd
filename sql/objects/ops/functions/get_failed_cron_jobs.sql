-- orgstack:object function ops.get_failed_cron_jobs()
-- get_failed_cron_jobs() -> (job_name, failures): for each scheduled pg_cron job, its failed
-- runs in the last 24 h after its latest success. A job that succeeds again, or is
-- unscheduled, drops out. SECURITY DEFINER because cron.job_run_details shows each user only
-- their own runs; it returns names and counts, never commands or messages. PL/pgSQL so it
-- exists where pg_cron does not (the call then raises undefined_table: 'unknown').
-- Callers: pg_monitor, through ops.health().
create or replace function ops.get_failed_cron_jobs()
returns table (job_name text, failures double precision)
language plpgsql
security definer
set search_path = ''
as $$
begin
  return query
  select coalesce(j.jobname, 'job ' || j.jobid)::text, count(*)::float8
    from cron.job_run_details d
    join cron.job j on j.jobid = d.jobid
   where d.status = 'failed'
     and d.start_time > now() - interval '24 hours'
     and d.start_time > coalesce((select max(s.start_time) from cron.job_run_details s
                                   where s.jobid = d.jobid and s.status = 'succeeded'),
                                 '-infinity'::timestamptz)
   group by j.jobid, j.jobname;
end;
$$;
revoke execute on function ops.get_failed_cron_jobs() from public;
grant execute on function ops.get_failed_cron_jobs() to pg_monitor;
