-- orgstack:object function orgstack.trigger_set_updated_at()
-- Trigger function: keeps updated_at at the time of the last change. Callers: BEFORE UPDATE
-- row triggers on tables with an updated_at column. Not security definer.
create or replace function orgstack.trigger_set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
revoke execute on function orgstack.trigger_set_updated_at() from public;
