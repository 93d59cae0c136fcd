-- orgstack:object trigger notifications_set_updated_at on public.notifications
-- orgstack:requires function orgstack.trigger_set_updated_at()
create trigger notifications_set_updated_at
  before update on public.notifications
  for each row execute function orgstack.trigger_set_updated_at();
