-- orgstack:object function ops.start_backup_run(text, jsonb)
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
  -- Drills run as the admin: a backup role (pg_read_all_data, on every stack of the server)
  -- that could record one could silence drill_failed. Only who may write the table itself may.
  if start_backup_run.kind = 'drill'
     and not pg_catalog.has_table_privilege(session_user, 'ops.backup_runs', 'UPDATE') then
    raise exception using errcode = '42501',
      message = format('Role %s may not record a restore drill.', session_user),
      hint = 'Drills run as the stack''s admin (npm run backup:drill); the backup role records backups only.';
  end if;
  insert into ops.backup_runs (kind, details)
  values (start_backup_run.kind, coalesce(start_backup_run.details, '{}'::jsonb))
  returning id into run_id;
  return run_id;
end
$$;
revoke execute on function ops.start_backup_run(text, jsonb) from public;
grant execute on function ops.start_backup_run(text, jsonb) to pg_read_all_data;
