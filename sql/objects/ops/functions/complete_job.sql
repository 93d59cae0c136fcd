-- orgstack:object function ops.complete_job(bigint, text)
-- complete_job(job_id, worker) -> boolean: marks a job this worker holds as completed. False
-- when the worker no longer holds it (its lock expired and another worker took it), so a job
-- is completed exactly once. Callers: service_role.
create or replace function ops.complete_job(job_id bigint, worker text)
returns boolean
language sql
set search_path = ''
as $$
  with done as (
    update ops.jobs j
       set status = 'completed', completed_at = now(), locked_by = null, locked_until = null, updated_at = now()
     where j.id = complete_job.job_id and j.status = 'running' and j.locked_by = complete_job.worker
    returning 1
  )
  select exists (select 1 from done)
$$;
revoke execute on function ops.complete_job(bigint, text) from public;
grant execute on function ops.complete_job(bigint, text) to service_role;
