-- orgstack:object trigger notifications_guard_tenant_row on public.notifications
-- orgstack:requires function orgstack.trigger_guard_tenant_row()
create trigger notifications_guard_tenant_row
  before update on public.notifications
  for each row execute function orgstack.trigger_guard_tenant_row();
