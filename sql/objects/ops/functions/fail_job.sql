-- orgstack:object function ops.fail_job(bigint, text, text, interval)
-- fail_job(job_id, worker, error, backoff) -> text: records a failed attempt. The job runs
-- again after backoff * 2^(attempts - 1) (1, 2, 4, ... times backoff), or moves to the
-- dead-letter status 'dead' once attempts reach max_attempts. Returns the new status, or null
-- when the worker no longer holds the job. Callers: service_role.
create or replace function ops.fail_job(job_id bigint, worker text, error text, backoff interval default '10 seconds')
returns text
language sql
set search_path = ''
as $$
  update ops.jobs j
     set status = case when j.attempts >= j.max_attempts then 'dead' else 'queued' end,
         run_at = case when j.attempts >= j.max_attempts then j.run_at
                       else now() + fail_job.backoff * power(2, j.attempts - 1) end,
         last_error = left(fail_job.error, 2000),
         locked_by = null,
         locked_until = null,
         updated_at = now()
   where j.id = fail_job.job_id and j.status = 'running' and j.locked_by = fail_job.worker
  returning j.status
$$;
revoke execute on function ops.fail_job(bigint, text, text, interval) from public;
grant execute on function ops.fail_job(bigint, text, text, interval) to service_role;
