-- orgstack:object policy "admins and the member can delete a membership" on public.organization_members
-- orgstack:requires function orgstack.get_organization_ids(text)
create policy "admins and the member can delete a membership"
  on public.organization_members
  as permissive
  for delete
  to authenticated
  using (organization_id = any ((select orgstack.get_organization_ids('admin'))::uuid[]) or user_id = (select auth.uid()));
