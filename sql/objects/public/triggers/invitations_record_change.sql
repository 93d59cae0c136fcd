-- orgstack:object trigger invitations_record_change on public.invitations
-- orgstack:requires function audit.trigger_record_change()
create trigger invitations_record_change
  after insert or update or delete on public.invitations
  for each row execute function audit.trigger_record_change();
