-- orgstack:object trigger invitations_record_activity on public.invitations
-- orgstack:requires function orgstack.trigger_record_activity()
create trigger invitations_record_activity
  after insert or delete on public.invitations
  for each row execute function orgstack.trigger_record_activity('invitation.sent', '', 'invitation.withdrawn', 'email');
