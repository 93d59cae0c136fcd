-- orgstack:object function ops.fail_interrupted_backup_runs(text)
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
  -- Drills run as the admin: a backup role (pg_read_all_data, on every stack of the server)
  -- that could record one could silence drill_failed. Only who may write the table itself may.
  if fail_interrupted_backup_runs.kind = 'drill'
     and not pg_catalog.has_table_privilege(session_user, 'ops.backup_runs', 'UPDATE') then
    raise exception using errcode = '42501',
      message = format('Role %s may not record a restore drill.', session_user),
      hint = 'Drills run as the stack''s admin (npm run backup:drill); the backup role records backups only.';
  end if;
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
