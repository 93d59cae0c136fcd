-- orgstack:object policy "admins can update their organizations" on public.organizations
-- orgstack:requires function orgstack.get_organization_ids(text)
create policy "admins can update their organizations"
  on public.organizations
  as permissive
  for update
  to authenticated
  using (id = any ((select orgstack.get_organization_ids('admin'))::uuid[]))
  with check (id = any ((select orgstack.get_organization_ids('admin'))::uuid[]));
