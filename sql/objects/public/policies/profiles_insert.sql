-- orgstack:object policy "users can insert their own profile" on public.profiles
create policy "users can insert their own profile"
  on public.profiles
  as permissive
  for insert
  to authenticated
  with check (id = (select auth.uid()));
