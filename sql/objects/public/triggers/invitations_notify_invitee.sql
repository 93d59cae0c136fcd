-- orgstack:object trigger invitations_notify_invitee on public.invitations
-- orgstack:requires function orgstack.trigger_notify_invitee()
-- Hand-written: the invitee is named by email, not by a user column, so notify does not fit.
create trigger invitations_notify_invitee
  after insert on public.invitations
  for each row execute function orgstack.trigger_notify_invitee();
