-- orgstack:object trigger organization_members_guard_member_change on public.organization_members
-- orgstack:requires function orgstack.trigger_guard_member_change()
-- Hand-written: membership rules (last owner, rank) that only organization_members has.
create trigger organization_members_guard_member_change
  before update or delete on public.organization_members
  for each row execute function orgstack.trigger_guard_member_change();
