-- orgstack:object policy "admins and the member can delete a membership" on public.organization_members
-- orgstack:requires view orgstack.current_memberships
-- orgstack:requires function orgstack.get_roles_from(text)
-- orgstack:requires trigger organization_members_guard_member_change on public.organization_members
create policy "admins and the member can delete a membership"
  on public.organization_members
  as permissive
  for delete
  to authenticated
  using (organization_id = any (array(select m.organization_id from orgstack.current_memberships m where m.role = any (orgstack.get_roles_from('admin')))) or user_id = (select auth.uid()));
