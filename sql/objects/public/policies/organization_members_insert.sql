-- orgstack:object policy "nobody can insert members through the api" on public.organization_members
-- orgstack:requires trigger organization_members_guard_member_change on public.organization_members
create policy "nobody can insert members through the api"
  on public.organization_members
  as permissive
  for insert
  to authenticated
  with check (false);
