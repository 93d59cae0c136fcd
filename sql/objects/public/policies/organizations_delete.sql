-- orgstack:object policy "owners can delete their organizations" on public.organizations
-- orgstack:requires function orgstack.get_organization_ids(text)
create policy "owners can delete their organizations"
  on public.organizations
  as permissive
  for delete
  to authenticated
  using (id = any ((select orgstack.get_organization_ids('owner'))::uuid[]));
