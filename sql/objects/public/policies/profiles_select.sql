-- orgstack:object policy "members can select their colleagues' profiles" on public.profiles
-- orgstack:requires function orgstack.get_colleague_ids()
create policy "members can select their colleagues' profiles"
  on public.profiles
  as permissive
  for select
  to authenticated
  using (id = any ((select orgstack.get_colleague_ids())::uuid[]));
