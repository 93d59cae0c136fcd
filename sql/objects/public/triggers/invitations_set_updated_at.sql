-- orgstack:object trigger invitations_set_updated_at on public.invitations
-- orgstack:requires function orgstack.trigger_set_updated_at()
create trigger invitations_set_updated_at
  before update on public.invitations
  for each row execute function orgstack.trigger_set_updated_at();
