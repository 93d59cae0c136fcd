-- orgstack:object function orgstack.trigger_guard_references()
-- orgstack:requires function orgstack.get_tenant_references(regclass)
-- Trigger function: a tenant row references only rows of its own organization, through every
-- foreign key to another tenant table. Callers: the BEFORE INSERT OR UPDATE row trigger
-- <table>_guard_references that TenantTable declares on each of its tables.
-- Why a trigger rather than composite keys (organization_id, x_id) references t
-- (organization_id, id): it covers the single-column keys apps already have, with no migration.
-- Why security definer: it must find the referenced row whatever RLS hides from the writer (a
-- row of their organization they cannot read is still theirs to reference), and it must hold
-- for the service role and the tables' owner too: a reference across organizations is never
-- valid. It answers one question, "is it a row of this organization?": another
-- organization's row and a missing one get the same error, so it reveals nothing. BEFORE, so
-- it fires ahead of the foreign key's own check (an AFTER trigger), whose different message
-- for a missing row would tell the two apart. An update is checked only when a key's columns
-- or organization_id change; a key with a null column references nothing (MATCH SIMPLE).
create or replace function orgstack.trigger_guard_references()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  new_row jsonb := to_jsonb(new);
  old_row jsonb := case when tg_op = 'UPDATE' then to_jsonb(old) end;
  reference record;
  found_row boolean;
begin
  for reference in select * from orgstack.get_tenant_references(tg_relid) loop
    continue when exists (select 1 from unnest(reference.columns) c where new_row ->> c is null);
    continue when tg_op = 'UPDATE'
      and new_row -> 'organization_id' = old_row -> 'organization_id'
      and not exists (select 1 from unnest(reference.columns) c where new_row -> c is distinct from old_row -> c);
    execute format('select exists (select 1 from %s r where %s and r.organization_id = ($1).organization_id)',
                   reference.target, reference.condition)
      into found_row using new;
    if not found_row then
      raise exception using
        errcode = '23503',
        message = format('%I.%I.%s: the referenced row of %s does not exist or belongs to another organization.',
                         tg_table_schema, tg_table_name, array_to_string(reference.columns, ', '), reference.target),
        hint = 'A row may reference only rows of its own organization: pick a row of the same organization.';
    end if;
  end loop;
  return new;
end;
$$;
revoke execute on function orgstack.trigger_guard_references() from public;
