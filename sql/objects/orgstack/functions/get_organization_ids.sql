-- orgstack:object function orgstack.get_organization_ids(text)
-- orgstack:requires function orgstack.get_role_rank(text)
-- get_organization_ids(min_role) -> uuid[]: the organizations in which the requesting user
-- holds at least min_role. Policies compare with
--   organization_id = any ((select orgstack.get_organization_ids('member'))::uuid[])
-- so the array is computed once per statement (an initPlan), not once per row: bench/rls
-- measures this shape against the alternatives. Security definer so that reading memberships
-- does not recurse into organization_members' own policies.
create or replace function orgstack.get_organization_ids(min_role text default 'viewer')
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(m.organization_id), '{}')
    from public.organization_members m
   where m.user_id = (select auth.uid())
     and orgstack.get_role_rank(m.role) >= orgstack.get_role_rank(get_organization_ids.min_role)
$$;
revoke execute on function orgstack.get_organization_ids(text) from public;
grant execute on function orgstack.get_organization_ids(text) to authenticated, service_role;
