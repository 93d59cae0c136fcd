-- orgstack:object function ops.enqueue_job(text, jsonb, timestamptz, integer)
-- enqueue_job(kind, payload, run_at, max_attempts) -> bigint: queues a job, returns its id.
-- Callers: service_role and database code.
create or replace function ops.enqueue_job(
  kind text,
  payload jsonb default '{}',
  run_at timestamptz default now(),
  max_attempts integer default 5
)
returns bigint
language sql
set search_path = ''
as $$
  insert into ops.jobs (kind, payload, run_at, max_attempts)
  values (enqueue_job.kind, enqueue_job.payload, enqueue_job.run_at, enqueue_job.max_attempts)
  returning id
$$;
revoke execute on function ops.enqueue_job(text, jsonb, timestamptz, integer) from public;
grant execute on function ops.enqueue_job(text, jsonb, timestamptz, integer) to service_role;
