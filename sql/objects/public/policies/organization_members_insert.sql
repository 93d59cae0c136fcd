-- orgstack:object policy "nobody can insert members through the api" on public.organization_members
create policy "nobody can insert members through the api"
  on public.organization_members
  as permissive
  for insert
  to authenticated
  with check (false);
