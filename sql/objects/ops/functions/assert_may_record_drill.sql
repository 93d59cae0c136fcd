-- orgstack:object function ops.assert_may_record_drill(text)
-- assert_may_record_drill(kind) -> void: raises 42501 when `kind` is 'drill' and the session
-- user may not write ops.backup_runs itself. Drills run as the admin: a backup role
-- (pg_read_all_data, on every stack of the server) that could record one could silence the
-- drill_failed alert. Callers: the ops.*backup_run* writers, never a role directly.
create or replace function ops.assert_may_record_drill(kind text)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if assert_may_record_drill.kind = 'drill'
     and not pg_catalog.has_table_privilege(session_user, 'ops.backup_runs', 'UPDATE') then
    raise exception using errcode = '42501',
      message = format('Role %s may not record a restore drill.', session_user),
      hint = 'Drills run as the stack''s admin (npm run backup:drill); the backup role records backups only.';
  end if;
end
$$;
revoke execute on function ops.assert_may_record_drill(text) from public;
