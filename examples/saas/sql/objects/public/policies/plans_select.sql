-- orgstack:object policy "signed-in users can select listed plans" on public.plans
-- The plan catalogue is the same for every workspace; unlisted (grandfathered) plans stay
-- hidden. Only migrations and the service role write it (no write grants).
create policy "signed-in users can select listed plans"
  on public.plans
  as permissive
  for select
  to authenticated
  using (listed);
