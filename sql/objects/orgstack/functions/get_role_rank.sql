-- orgstack:object function orgstack.get_role_rank(text)
-- orgstack:requires function orgstack.get_role_ladder()
-- get_role_rank(role) -> integer: the role's rank on orgstack.get_role_ladder(), the lowest
-- role 1 and each higher one 1 more (owner 4 > admin 3 > member 2 > viewer 1); anything else 0.
-- Pure; callers: policies, guards and the privileged functions.
create or replace function orgstack.get_role_rank(role text)
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select coalesce(cardinality(ladder.roles) + 1 - array_position(ladder.roles, get_role_rank.role), 0)
    from (select orgstack.get_role_ladder() as roles) ladder
$$;
revoke execute on function orgstack.get_role_rank(text) from public;
grant execute on function orgstack.get_role_rank(text) to authenticated, service_role;
