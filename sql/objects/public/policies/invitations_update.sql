-- orgstack:object policy "admins can update invitations below their rank" on public.invitations
-- orgstack:requires view orgstack.current_memberships
-- orgstack:requires function orgstack.get_roles_from(text)
-- orgstack:requires function orgstack.get_member_role_rank(uuid)
-- orgstack:requires trigger invitations_guard_tenant_row on public.invitations
-- The rank rule holds for the stored invitation (USING) as well as the new one (WITH CHECK):
-- an admin cannot rewrite, downgrade or extend an admin invitation an owner sent.
create policy "admins can update invitations below their rank"
  on public.invitations
  as permissive
  for update
  to authenticated
  using (organization_id = any (array(select m.organization_id from orgstack.current_memberships m where m.role = any (orgstack.get_roles_from('admin')))) and orgstack.get_role_rank(role) < orgstack.get_member_role_rank(organization_id))
  with check (organization_id = any (array(select m.organization_id from orgstack.current_memberships m where m.role = any (orgstack.get_roles_from('admin')))) and orgstack.get_role_rank(role) < orgstack.get_member_role_rank(organization_id));
