-- orgstack:object policy "nobody can insert activity through the api" on public.activity_feed
-- orgstack:requires trigger activity_feed_guard_tenant_row on public.activity_feed
create policy "nobody can insert activity through the api"
  on public.activity_feed
  as permissive
  for insert
  to authenticated
  with check (false);
