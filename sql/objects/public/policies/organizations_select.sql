-- orgstack:object policy "members can select their organizations" on public.organizations
-- orgstack:requires function orgstack.get_organization_ids(text)
create policy "members can select their organizations"
  on public.organizations
  as permissive
  for select
  to authenticated
  using (id = any ((select orgstack.get_organization_ids('viewer'))::uuid[]));
