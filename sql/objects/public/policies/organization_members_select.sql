-- orgstack:object policy "members can select their organizations' members" on public.organization_members
-- orgstack:requires view orgstack.current_memberships
create policy "members can select their organizations' members"
  on public.organization_members
  as permissive
  for select
  to authenticated
  using (organization_id = any (array(select m.organization_id from orgstack.current_memberships m)));
