-- orgstack:object trigger profiles_set_updated_at on public.profiles
-- orgstack:requires function orgstack.trigger_set_updated_at()
create trigger profiles_set_updated_at
  before update on public.profiles
  for each row execute function orgstack.trigger_set_updated_at();
