-- orgstack:object trigger organizations_add_creator_as_owner on public.organizations
-- orgstack:requires function orgstack.trigger_add_creator_as_owner()
-- Hand-written: creating an organization makes its first membership, a rule of organizations alone.
create trigger organizations_add_creator_as_owner
  after insert on public.organizations
  for each row execute function orgstack.trigger_add_creator_as_owner();
