-- orgstack:object policy "members can select their organizations" on public.organizations
-- orgstack:requires view orgstack.current_memberships
create policy "members can select their organizations"
  on public.organizations
  as permissive
  for select
  to authenticated
  using (id = any (array(select m.organization_id from orgstack.current_memberships m)));
