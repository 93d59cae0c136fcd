-- orgstack:object trigger organization_members_guard_service_account on public.organization_members
-- orgstack:requires function saas.trigger_guard_service_account()
-- An API key's service account is never promoted beyond member.
create trigger organization_members_guard_service_account
  before update of role on public.organization_members
  for each row execute function saas.trigger_guard_service_account();
