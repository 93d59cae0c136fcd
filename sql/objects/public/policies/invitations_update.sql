-- orgstack:object policy "admins can update invitations below their rank" on public.invitations
-- orgstack:requires function orgstack.get_organization_ids(text)
-- orgstack:requires function orgstack.get_member_role_rank(uuid)
create policy "admins can update invitations below their rank"
  on public.invitations
  as permissive
  for update
  to authenticated
  using (organization_id = any ((select orgstack.get_organization_ids('admin'))::uuid[]))
  with check (organization_id = any ((select orgstack.get_organization_ids('admin'))::uuid[]) and orgstack.get_role_rank(role) < orgstack.get_member_role_rank(organization_id));
