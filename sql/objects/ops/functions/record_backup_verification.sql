-- orgstack:object function ops.record_backup_verification(bigint, boolean, double precision, jsonb)
-- record_backup_verification(run_id, passed, restore_seconds, details) -> void: the restore
-- check a succeeded backup received from a drill; details (what was compared, what differed)
-- go under details.verification.
-- Callers: the restore drill (the stack's admin connection).
create or replace function ops.record_backup_verification(
  run_id bigint,
  passed boolean,
  restore_seconds double precision,
  details jsonb
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  update ops.backup_runs r
  set verified_at = clock_timestamp(),
      verify_status = case when record_backup_verification.passed then 'succeeded' else 'failed' end,
      restore_seconds = record_backup_verification.restore_seconds,
      details = r.details || jsonb_build_object('verification', record_backup_verification.details)
  where r.id = record_backup_verification.run_id and r.status = 'succeeded';
  if not found then
    raise exception using errcode = 'P0002',
      message = format('Backup run %s is not a succeeded backup.', record_backup_verification.run_id),
      hint = 'Only a published archive is verified; see its row in ops.backup_runs.';
  end if;
end
$$;
revoke execute on function ops.record_backup_verification(bigint, boolean, double precision, jsonb) from public;
