-- orgstack:object trigger organizations_start_subscription on public.organizations
-- orgstack:requires function saas.trigger_start_subscription()
-- Every workspace starts on the free plan. Fires after organizations_add_creator_as_owner (name order).
create trigger organizations_start_subscription
  after insert on public.organizations
  for each row execute function saas.trigger_start_subscription();
