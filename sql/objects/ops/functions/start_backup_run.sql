-- orgstack:object function ops.start_backup_run(text, jsonb)
-- orgstack:requires function ops.assert_may_record_drill(text)
-- start_backup_run(kind, details) -> bigint: opens a run of kind logical, full, diff, incr or
-- drill with status 'running' and returns its id. Committed on its own, so a run that dies
-- leaves a row behind (ops.fail_interrupted_backup_runs closes it).
-- Callers: the backup, restore-drill and PITR runners: the stack's backup role (a member of
-- pg_read_all_data) or its admin; drills only the admin.
create or replace function ops.start_backup_run(kind text, details jsonb default '{}'::jsonb)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  run_id bigint;
begin
  perform ops.assert_may_record_drill(start_backup_run.kind);
  insert into ops.backup_runs (kind, details)
  values (start_backup_run.kind, coalesce(start_backup_run.details, '{}'::jsonb))
  returning id into run_id;
  return run_id;
end
$$;
revoke execute on function ops.start_backup_run(text, jsonb) from public;
grant execute on function ops.start_backup_run(text, jsonb) to pg_read_all_data;
