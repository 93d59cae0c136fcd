-- orgstack:object policy "users can mark their own notifications read" on public.notifications
-- orgstack:requires trigger notifications_guard_tenant_row on public.notifications
create policy "users can mark their own notifications read"
  on public.notifications
  as permissive
  for update
  to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
