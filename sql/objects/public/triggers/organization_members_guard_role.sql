-- orgstack:object trigger organization_members_guard_role on public.organization_members
-- orgstack:requires function orgstack.trigger_guard_member_role()
-- Hand-written: the membership role guard, read from the SQL ladder, runs on insert too.
-- Fires after organization_members_guard_member_change (name order), as the CHECK it replaces
-- did: a member without the rank to change a role is told so first.
create trigger organization_members_guard_role
  before insert or update of role on public.organization_members
  for each row execute function orgstack.trigger_guard_member_role();
