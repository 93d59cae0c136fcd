-- orgstack:object function ops.fail_interrupted_backup_runs(text)
-- orgstack:requires function ops.assert_may_record_drill(text)
-- fail_interrupted_backup_runs(kind) -> integer: marks every 'running' run of that kind failed
-- ("interrupted") and returns how many. Called by a runner that holds the kind's advisory lock:
-- then no other run of the kind is alive, so a running row is one whose process died.
-- Callers: the backup and restore-drill runners: the stack's backup role (a member of
-- pg_read_all_data) or its admin; drills only the admin.
create or replace function ops.fail_interrupted_backup_runs(kind text)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  failed_count integer;
begin
  perform ops.assert_may_record_drill(fail_interrupted_backup_runs.kind);
  with failed as (
    update ops.backup_runs r
    set status = 'failed', finished_at = clock_timestamp(),
        error = 'Interrupted: the run''s process ended before it recorded a result.'
    where r.kind = fail_interrupted_backup_runs.kind and r.status = 'running'
    returning 1
  )
  select count(*)::integer into failed_count from failed;
  return failed_count;
end
$$;
revoke execute on function ops.fail_interrupted_backup_runs(text) from public;
grant execute on function ops.fail_interrupted_backup_runs(text) to pg_read_all_data;
