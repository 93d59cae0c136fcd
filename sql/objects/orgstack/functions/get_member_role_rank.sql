-- orgstack:object function orgstack.get_member_role_rank(uuid)
-- orgstack:requires function orgstack.get_role_rank(text)
-- get_member_role_rank(organization_id) -> integer: the requesting user's rank in the
-- organization, 0 when not a member. Callers: guards, write policies, privileged functions.
create or replace function orgstack.get_member_role_rank(organization_id uuid)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(max(orgstack.get_role_rank(m.role)), 0)
    from public.organization_members m
   where m.organization_id = get_member_role_rank.organization_id
     and m.user_id = (select auth.uid())
$$;
revoke execute on function orgstack.get_member_role_rank(uuid) from public;
grant execute on function orgstack.get_member_role_rank(uuid) to authenticated, service_role;
