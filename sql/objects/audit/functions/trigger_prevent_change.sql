-- orgstack:object function audit.trigger_prevent_change()
-- Trigger function on public.audit_logs: the trail is append-only for every role. UPDATE and
-- TRUNCATE always fail; DELETE succeeds only inside ops.purge_audit_logs, which runs as the
-- table's owner and marks its transaction. Setting the mark alone is not enough: the caller
-- must also be the owner, which no API role is.
create or replace function audit.trigger_prevent_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'DELETE'
     and current_setting('orgstack.purging_audit_logs', true) = 'on'
     and current_user = (select pg_catalog.pg_get_userbyid(c.relowner) from pg_catalog.pg_class c where c.oid = tg_relid) then
    return old;
  end if;
  raise exception using
    errcode = '42501',
    message = format('The audit trail is append-only: %s on public.audit_logs is not allowed.', tg_op),
    hint = 'Old rows are removed only by the retention job (ops.purge_audit_logs).';
end;
$$;
revoke execute on function audit.trigger_prevent_change() from public;
