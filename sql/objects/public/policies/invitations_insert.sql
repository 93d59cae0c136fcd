-- orgstack:object policy "admins can insert invitations below their rank" on public.invitations
-- orgstack:requires view orgstack.current_memberships
-- orgstack:requires function orgstack.get_roles_from(text)
-- orgstack:requires function orgstack.get_member_role_rank(uuid)
-- orgstack:requires trigger invitations_guard_tenant_row on public.invitations
create policy "admins can insert invitations below their rank"
  on public.invitations
  as permissive
  for insert
  to authenticated
  with check (organization_id = any (array(select m.organization_id from orgstack.current_memberships m where m.role = any (orgstack.get_roles_from('admin')))) and invited_by = (select auth.uid()) and orgstack.get_role_rank(role) < orgstack.get_member_role_rank(organization_id));
