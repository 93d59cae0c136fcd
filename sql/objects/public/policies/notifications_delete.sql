-- orgstack:object policy "users can delete their own notifications" on public.notifications
-- orgstack:requires trigger notifications_guard_tenant_row on public.notifications
create policy "users can delete their own notifications"
  on public.notifications
  as permissive
  for delete
  to authenticated
  using (user_id = (select auth.uid()));
