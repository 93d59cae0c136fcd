-- orgstack:object policy "nobody can insert notifications through the api" on public.notifications
-- orgstack:requires trigger notifications_guard_tenant_row on public.notifications
create policy "nobody can insert notifications through the api"
  on public.notifications
  as permissive
  for insert
  to authenticated
  with check (false);
