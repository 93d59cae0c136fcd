-- orgstack:object function orgstack.has_role(uuid, text)
-- orgstack:requires function orgstack.get_member_role_rank(uuid)
-- has_role(organization_id, min_role) -> boolean: whether the requesting user holds at least
-- min_role (ranked by orgstack.get_role_ladder()) in the organization.
create or replace function orgstack.has_role(organization_id uuid, min_role text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select orgstack.get_member_role_rank(has_role.organization_id) >= orgstack.get_role_rank(has_role.min_role)
     and orgstack.get_role_rank(has_role.min_role) > 0
$$;
revoke execute on function orgstack.has_role(uuid, text) from public;
grant execute on function orgstack.has_role(uuid, text) to authenticated, service_role;
