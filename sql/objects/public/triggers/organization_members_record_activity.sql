-- orgstack:object trigger organization_members_record_activity on public.organization_members
-- orgstack:requires function orgstack.trigger_record_activity()
create trigger organization_members_record_activity
  after insert or update of role or delete on public.organization_members
  for each row execute function orgstack.trigger_record_activity('member.joined', 'member.role_changed', 'member.left', 'role');
