-- orgstack:object trigger organization_members_count_members on public.organization_members
-- orgstack:requires function orgstack.trigger_maintain_counter()
create trigger organization_members_count_members
  after insert or delete on public.organization_members
  for each row execute function orgstack.trigger_maintain_counter('public.organizations', 'member_count', 'organization_id');
