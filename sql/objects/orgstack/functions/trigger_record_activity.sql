-- orgstack:object function orgstack.trigger_record_activity()
-- Trigger function: adds a public.activity_feed row for the operations a table maps to an
-- activity. Arguments: the activity type on INSERT, on UPDATE and on DELETE ('' for none), and
-- the column whose value describes the row (e.g. 'name'). Security definer: API roles cannot
-- write activity_feed. Callers: AFTER row triggers `<table>_record_activity`.
create or replace function orgstack.trigger_record_activity()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  activity_type text := case tg_op when 'INSERT' then tg_argv[0] when 'UPDATE' then tg_argv[1] else tg_argv[2] end;
  row_data jsonb;
  actor uuid := auth.uid();
begin
  if coalesce(activity_type, '') = '' then
    return null;
  end if;
  row_data := to_jsonb(coalesce(new, old));
  -- While an organization is deleted, its rows go with it: nothing to tell its members.
  if tg_op = 'DELETE' and not exists (select 1 from public.organizations o where o.id = (row_data ->> 'organization_id')::uuid) then
    return null;
  end if;
  insert into public.activity_feed (organization_id, actor_id, activity_type, entity_type, entity_id, description)
  values (
    (row_data ->> 'organization_id')::uuid,
    actor,
    activity_type,
    tg_table_name,
    coalesce(row_data ->> 'id', row_data ->> 'user_id'),
    row_data ->> tg_argv[3]
  );
  return null;
end;
$$;
revoke execute on function orgstack.trigger_record_activity() from public;
