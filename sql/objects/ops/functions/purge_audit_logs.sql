-- orgstack:object function ops.purge_audit_logs(integer)
-- purge_audit_logs(retention_days) -> integer: deletes audit rows older than retention_days,
-- the only way rows ever leave the trail. Security definer, so it runs as the table's owner,
-- which audit.trigger_prevent_change requires together with the mark it sets. Callers: the
-- maintenance job.
create or replace function ops.purge_audit_logs(retention_days integer)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  purged integer;
begin
  if retention_days is null or retention_days < 1 then
    raise exception using errcode = '22023',
      message = format('retention_days must be at least 1; found %s.', retention_days);
  end if;
  perform set_config('orgstack.purging_audit_logs', 'on', true);
  delete from public.audit_logs a where a.created_at < now() - make_interval(days => retention_days);
  get diagnostics purged = row_count;
  perform set_config('orgstack.purging_audit_logs', 'off', true);
  return purged;
end;
$$;
revoke execute on function ops.purge_audit_logs(integer) from public;
