-- orgstack:object trigger organizations_guard on public.organizations
-- orgstack:requires function orgstack.trigger_guard_organization()
create trigger organizations_guard
  before update on public.organizations
  for each row execute function orgstack.trigger_guard_organization();
