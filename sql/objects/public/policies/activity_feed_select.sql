-- orgstack:object policy "members can select their organizations' activity" on public.activity_feed
-- orgstack:requires view orgstack.current_memberships
create policy "members can select their organizations' activity"
  on public.activity_feed
  as permissive
  for select
  to authenticated
  using (organization_id = any (array(select m.organization_id from orgstack.current_memberships m)));
