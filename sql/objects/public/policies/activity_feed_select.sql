-- orgstack:object policy "members can select their organizations' activity" on public.activity_feed
-- orgstack:requires function orgstack.get_organization_ids(text)
create policy "members can select their organizations' activity"
  on public.activity_feed
  as permissive
  for select
  to authenticated
  using (organization_id = any ((select orgstack.get_organization_ids('viewer'))::uuid[]));
