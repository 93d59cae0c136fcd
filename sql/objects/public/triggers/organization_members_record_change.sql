-- orgstack:object trigger organization_members_record_change on public.organization_members
-- orgstack:requires function audit.trigger_record_change()
create trigger organization_members_record_change
  after insert or update or delete on public.organization_members
  for each row execute function audit.trigger_record_change();
