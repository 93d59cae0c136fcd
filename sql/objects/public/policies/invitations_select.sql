-- orgstack:object policy "admins and the invited user can select invitations" on public.invitations
-- orgstack:requires function orgstack.get_organization_ids(text)
create policy "admins and the invited user can select invitations"
  on public.invitations
  as permissive
  for select
  to authenticated
  using (organization_id = any ((select orgstack.get_organization_ids('admin'))::uuid[]) or email = lower((select auth.email())));
