-- orgstack:object policy "nobody can delete profiles through the api" on public.profiles
create policy "nobody can delete profiles through the api"
  on public.profiles
  as permissive
  for delete
  to authenticated
  using (false);
