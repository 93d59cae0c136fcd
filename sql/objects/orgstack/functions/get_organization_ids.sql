-- orgstack:object function orgstack.get_organization_ids(text)
-- get_organization_ids(min_role) -> uuid[]: the organizations in which the requesting user
-- holds at least min_role. Policies compare with
--   organization_id = any ((select orgstack.get_organization_ids('member'))::uuid[])
-- so the array is computed once per statement (an initPlan), not once per row: bench/rls
-- measures this shape against the alternatives. PL/pgSQL, not SQL: a security definer SQL
-- function is never inlined and would be planned again on every call, while PL/pgSQL keeps
-- its plan for the session. Security definer so that reading memberships does not recurse
-- into organization_members' own policies.
create or replace function orgstack.get_organization_ids(min_role text default 'viewer')
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  -- Roles at or above min_role (owner > admin > member > viewer, as orgstack.get_role_rank),
  -- spelled out rather than computed: a call to another function here would cost every
  -- request its set-up; none for an unknown role.
  allowed_roles text[] := case get_organization_ids.min_role
    when 'viewer' then array['owner', 'admin', 'member', 'viewer']
    when 'member' then array['owner', 'admin', 'member']
    when 'admin' then array['owner', 'admin']
    when 'owner' then array['owner']
    else '{}'::text[]
  end;
  organization_ids uuid[];
begin
  select coalesce(array_agg(m.organization_id), '{}')
    into organization_ids
    from public.organization_members m
   where m.user_id = auth.uid()
     and m.role = any (allowed_roles);
  return organization_ids;
end;
$$;
revoke execute on function orgstack.get_organization_ids(text) from public;
grant execute on function orgstack.get_organization_ids(text) to authenticated, service_role;
