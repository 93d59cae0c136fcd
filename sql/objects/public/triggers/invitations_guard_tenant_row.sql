-- orgstack:object trigger invitations_guard_tenant_row on public.invitations
-- orgstack:requires function orgstack.trigger_guard_tenant_row()
create trigger invitations_guard_tenant_row
  before update on public.invitations
  for each row execute function orgstack.trigger_guard_tenant_row();
