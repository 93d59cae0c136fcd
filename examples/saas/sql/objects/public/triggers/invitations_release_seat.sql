-- orgstack:object trigger invitations_release_seat on public.invitations
-- orgstack:requires function saas.trigger_release_seat()
-- An accepted invitation's seat is freed if no new member took it over.
create trigger invitations_release_seat
  after update of accepted_at on public.invitations
  for each row execute function saas.trigger_release_seat();
