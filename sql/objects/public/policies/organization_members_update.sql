-- orgstack:object policy "admins can update their organizations' members" on public.organization_members
-- orgstack:requires function orgstack.get_organization_ids(text)
create policy "admins can update their organizations' members"
  on public.organization_members
  as permissive
  for update
  to authenticated
  using (organization_id = any ((select orgstack.get_organization_ids('admin'))::uuid[]))
  with check (organization_id = any ((select orgstack.get_organization_ids('admin'))::uuid[]));
