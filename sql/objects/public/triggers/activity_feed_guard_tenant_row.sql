-- orgstack:object trigger activity_feed_guard_tenant_row on public.activity_feed
-- orgstack:requires function orgstack.trigger_guard_tenant_row()
create trigger activity_feed_guard_tenant_row
  before update on public.activity_feed
  for each row execute function orgstack.trigger_guard_tenant_row();
