-- orgstack:object trigger organizations_delete_activity on public.organizations
-- orgstack:requires function orgstack.trigger_delete_activity()
-- Hand-written: deleting an organization clears its feed, a rule of organizations alone.
create trigger organizations_delete_activity
  after delete on public.organizations
  for each row execute function orgstack.trigger_delete_activity();
