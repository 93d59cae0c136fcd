-- orgstack:object function orgstack.is_member(uuid)
-- is_member(organization_id) -> boolean: whether the requesting user belongs to the
-- organization, in any role. For application code and checks on single rows.
create or replace function orgstack.is_member(organization_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.organization_members m
     where m.organization_id = is_member.organization_id
       and m.user_id = (select auth.uid())
  )
$$;
revoke execute on function orgstack.is_member(uuid) from public;
grant execute on function orgstack.is_member(uuid) to authenticated, service_role;
