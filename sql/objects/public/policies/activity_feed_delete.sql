-- orgstack:object policy "nobody can delete activity" on public.activity_feed
-- orgstack:requires trigger activity_feed_guard_tenant_row on public.activity_feed
create policy "nobody can delete activity"
  on public.activity_feed
  as permissive
  for delete
  to authenticated
  using (false);
