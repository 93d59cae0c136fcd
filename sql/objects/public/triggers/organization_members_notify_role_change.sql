-- orgstack:object trigger organization_members_notify_role_change on public.organization_members
-- orgstack:requires function orgstack.trigger_notify_role_change()
-- Hand-written: a conditional (when) trigger on a role change, which notify does not make.
create trigger organization_members_notify_role_change
  after update of role on public.organization_members
  for each row when (new.role is distinct from old.role)
  execute function orgstack.trigger_notify_role_change();
