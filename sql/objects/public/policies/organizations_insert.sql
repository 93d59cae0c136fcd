-- orgstack:object policy "users can insert organizations they create" on public.organizations
-- orgstack:requires trigger organizations_guard on public.organizations
create policy "users can insert organizations they create"
  on public.organizations
  as permissive
  for insert
  to authenticated
  with check (created_by = (select auth.uid()));
