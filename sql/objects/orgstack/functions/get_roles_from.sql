-- orgstack:object function orgstack.get_roles_from(text)
-- orgstack:requires function orgstack.get_role_ladder()
-- get_roles_from(min_role) -> text[]: the roles at or above min_role on
-- orgstack.get_role_ladder(), highest first ('admin': {owner,admin}); empty for an unknown role.
-- Policies filter memberships with it inside their initPlan:
--   organization_id = any (array(select m.organization_id from orgstack.current_memberships m
--                                where m.role = any (orgstack.get_roles_from('admin'))))
-- Immutable with a constant argument, it is folded into the constant '{owner,admin}' when the
-- statement is planned (test/db/09-role-ladder.sql checks the plan): the policy runs exactly
-- as with the list written out. Callers: policies (as authenticated), tests.
create or replace function orgstack.get_roles_from(min_role text)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select coalesce(ladder.roles[1:array_position(ladder.roles, get_roles_from.min_role)], '{}')
    from (select orgstack.get_role_ladder() as roles) ladder
$$;
revoke execute on function orgstack.get_roles_from(text) from public;
grant execute on function orgstack.get_roles_from(text) to authenticated, service_role;
