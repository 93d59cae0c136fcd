-- orgstack:object trigger organizations_set_updated_at on public.organizations
-- orgstack:requires function orgstack.trigger_set_updated_at()
create trigger organizations_set_updated_at
  before update on public.organizations
  for each row execute function orgstack.trigger_set_updated_at();
