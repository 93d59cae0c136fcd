-- orgstack:object policy "nobody can update activity" on public.activity_feed
create policy "nobody can update activity"
  on public.activity_feed
  as permissive
  for update
  to authenticated
  using (false)
  with check (false);
