-- orgstack:object policy "nobody can update activity" on public.activity_feed
-- orgstack:requires trigger activity_feed_guard_tenant_row on public.activity_feed
create policy "nobody can update activity"
  on public.activity_feed
  as permissive
  for update
  to authenticated
  using (false)
  with check (false);
