-- orgstack:object function orgstack.trigger_delete_activity()
-- Trigger function on public.organizations (AFTER DELETE): removes the organization's
-- activity feed, which has no foreign key to cascade from. Security definer: owners deleting
-- their organization cannot delete activity rows themselves.
create or replace function orgstack.trigger_delete_activity()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public.activity_feed a where a.organization_id = old.id;
  return null;
end;
$$;
revoke execute on function orgstack.trigger_delete_activity() from public;
