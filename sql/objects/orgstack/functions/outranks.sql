-- orgstack:object function orgstack.outranks(uuid, text)
-- orgstack:requires function orgstack.get_member_role_rank(uuid)
-- outranks(organization_id, role) -> boolean: whether the requesting user may manage a member
-- holding role in the organization: they are an owner or admin, and of strictly higher rank.
-- The one rule behind change_member_role, remove_member and the membership guard.
create or replace function orgstack.outranks(organization_id uuid, role text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select orgstack.get_member_role_rank(outranks.organization_id) >= orgstack.get_role_rank('admin')
     and orgstack.get_member_role_rank(outranks.organization_id) > orgstack.get_role_rank(outranks.role)
$$;
revoke execute on function orgstack.outranks(uuid, text) from public;
grant execute on function orgstack.outranks(uuid, text) to authenticated, service_role;
