-- orgstack:object policy "owners can delete their organizations" on public.organizations
-- orgstack:requires view orgstack.current_memberships
-- orgstack:requires function orgstack.get_roles_from(text)
-- orgstack:requires trigger organizations_guard on public.organizations
create policy "owners can delete their organizations"
  on public.organizations
  as permissive
  for delete
  to authenticated
  using (id = any (array(select m.organization_id from orgstack.current_memberships m where m.role = any (orgstack.get_roles_from('owner')))));
