-- orgstack:object function orgstack.trigger_guard_tenant_row()
-- Trigger function: a tenant row never moves to another organization. Callers: BEFORE UPDATE
-- row triggers on every table with organization_id (core tables and TenantTables).
create or replace function orgstack.trigger_guard_tenant_row()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.organization_id is distinct from old.organization_id then
    raise exception using
      errcode = '42501',
      message = format('%I.%I: organization_id cannot change (from %s to %s).',
                       tg_table_schema, tg_table_name, old.organization_id, new.organization_id),
      hint = 'Copy the row into the other organization and delete the original instead.';
  end if;
  return new;
end;
$$;
revoke execute on function orgstack.trigger_guard_tenant_row() from public;
