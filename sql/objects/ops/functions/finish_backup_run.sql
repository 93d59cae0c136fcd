-- orgstack:object function ops.finish_backup_run(bigint, jsonb)
-- orgstack:requires function ops.assert_may_record_drill(text)
-- finish_backup_run(run_id, result) -> void: closes a running run. result holds status
-- ('succeeded' or 'failed') and any of bytes, sha256, archive, error, snapshot and details
-- (merged into the row's details). One jsonb, so PITR and logical runs share the signature.
-- Callers: the backup, restore-drill and PITR runners: the stack's backup role (a member of
-- pg_read_all_data) or its admin; drills only the admin.
create or replace function ops.finish_backup_run(run_id bigint, result jsonb)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform ops.assert_may_record_drill(
    (select r.kind from ops.backup_runs r where r.id = finish_backup_run.run_id));
  update ops.backup_runs r
  set status = finish_backup_run.result ->> 'status',
      finished_at = clock_timestamp(),
      bytes = (finish_backup_run.result ->> 'bytes')::bigint,
      sha256 = finish_backup_run.result ->> 'sha256',
      archive = coalesce(finish_backup_run.result ->> 'archive', r.archive),
      error = finish_backup_run.result ->> 'error',
      snapshot = finish_backup_run.result -> 'snapshot',
      details = r.details || coalesce(finish_backup_run.result -> 'details', '{}'::jsonb)
  where r.id = finish_backup_run.run_id and r.status = 'running';
  if not found then
    raise exception using errcode = 'P0002',
      message = format('Backup run %s is not running.', finish_backup_run.run_id),
      hint = 'A run is finished once; see its row in ops.backup_runs.';
  end if;
end
$$;
revoke execute on function ops.finish_backup_run(bigint, jsonb) from public;
grant execute on function ops.finish_backup_run(bigint, jsonb) to pg_read_all_data;
