-- orgstack:object trigger invitations_take_seat on public.invitations
-- orgstack:requires function saas.trigger_take_invitation_seat()
-- An open invitation holds a seat, so invitations cannot exceed the seats paid for.
create trigger invitations_take_seat
  after insert on public.invitations
  for each row execute function saas.trigger_take_invitation_seat();
