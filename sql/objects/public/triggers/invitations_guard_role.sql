-- orgstack:object trigger invitations_guard_role on public.invitations
-- orgstack:requires function orgstack.trigger_guard_member_role()
-- Hand-written: an invitation-only role rule, not a generic tenant-table hook.
-- An invitation never makes an owner: ownership moves only with transfer_ownership.
create trigger invitations_guard_role
  before insert or update of role on public.invitations
  for each row execute function orgstack.trigger_guard_member_role('owner');
