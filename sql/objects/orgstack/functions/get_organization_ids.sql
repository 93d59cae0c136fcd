-- orgstack:object function orgstack.get_organization_ids(text)
-- orgstack:requires function orgstack.get_role_rank(text)
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
  min_rank integer := orgstack.get_role_rank(get_organization_ids.min_role);
  -- Roles ranked at or above min_role, highest first; none for an unknown role.
  allowed_roles text[] := case when min_rank = 0 then '{}'::text[]
                               else (array['owner', 'admin', 'member', 'viewer'])[1:5 - min_rank] end;
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
