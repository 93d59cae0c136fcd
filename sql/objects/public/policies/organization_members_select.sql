-- orgstack:object policy "members can select their organizations' members" on public.organization_members
-- orgstack:requires function orgstack.get_organization_ids(text)
create policy "members can select their organizations' members"
  on public.organization_members
  as permissive
  for select
  to authenticated
  using (organization_id = any ((select orgstack.get_organization_ids('viewer'))::uuid[]));
