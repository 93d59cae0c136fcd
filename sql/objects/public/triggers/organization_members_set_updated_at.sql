-- orgstack:object trigger organization_members_set_updated_at on public.organization_members
-- orgstack:requires function orgstack.trigger_set_updated_at()
create trigger organization_members_set_updated_at
  before update on public.organization_members
  for each row execute function orgstack.trigger_set_updated_at();
