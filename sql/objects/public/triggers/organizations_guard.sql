-- orgstack:object trigger organizations_guard on public.organizations
-- orgstack:requires function orgstack.trigger_guard_organization()
-- Hand-written: organizations are the tenant itself (no organization_id), so the tenant-row guard does not fit.
create trigger organizations_guard
  before update on public.organizations
  for each row execute function orgstack.trigger_guard_organization();
