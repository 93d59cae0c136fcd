-- orgstack:object trigger organizations_record_change on public.organizations
-- orgstack:requires function audit.trigger_record_change()
create trigger organizations_record_change
  after insert or update or delete on public.organizations
  for each row execute function audit.trigger_record_change('member_count', 'updated_at');
