-- orgstack:object function ops.claim_jobs(text, integer, interval)
-- claim_jobs(worker, batch_size, lock_for) -> setof ops.jobs: locks up to batch_size due jobs
-- for this worker, oldest first. A job is due when queued and run_at has come, or when it is
-- running but its worker's lock expired (a crashed worker's job is picked up again).
-- FOR UPDATE SKIP LOCKED lets many workers claim at once without waiting on each other or
-- taking the same job. Each claim counts as an attempt. Callers: service_role.
create or replace function ops.claim_jobs(worker text, batch_size integer default 10, lock_for interval default '5 minutes')
returns setof ops.jobs
language sql
set search_path = ''
as $$
  with due as (
    select j.id from ops.jobs j
     where (j.status = 'queued' and j.run_at <= now())
        or (j.status = 'running' and j.locked_until < now())
     order by j.run_at, j.id
     limit claim_jobs.batch_size
       for update skip locked
  )
  update ops.jobs j
     set status = 'running',
         attempts = j.attempts + 1,
         locked_by = claim_jobs.worker,
         locked_until = now() + claim_jobs.lock_for,
         updated_at = now()
    from due
   where j.id = due.id
  returning j.*
$$;
revoke execute on function ops.claim_jobs(text, integer, interval) from public;
grant execute on function ops.claim_jobs(text, integer, interval) to service_role;
