-- orgstack:object policy "admins and the invited user can select invitations" on public.invitations
-- orgstack:requires view orgstack.current_memberships
-- orgstack:requires function orgstack.get_roles_from(text)
create policy "admins and the invited user can select invitations"
  on public.invitations
  as permissive
  for select
  to authenticated
  using (organization_id = any (array(select m.organization_id from orgstack.current_memberships m where m.role = any (orgstack.get_roles_from('admin')))) or email = lower((select auth.email())));
