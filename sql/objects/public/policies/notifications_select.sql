-- orgstack:object policy "users can select their own notifications" on public.notifications
create policy "users can select their own notifications"
  on public.notifications
  as permissive
  for select
  to authenticated
  using (user_id = (select auth.uid()));
