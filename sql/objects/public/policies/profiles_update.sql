-- orgstack:object policy "users can update their own profile" on public.profiles
create policy "users can update their own profile"
  on public.profiles
  as permissive
  for update
  to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));
