-- orgstack:object function orgstack.get_role_rank(text)
-- get_role_rank(role) -> integer: owner 4 > admin 3 > member 2 > viewer 1; anything else 0.
-- Pure; callers: policies, guards and the privileged functions.
create or replace function orgstack.get_role_rank(role text)
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case get_role_rank.role
    when 'owner' then 4
    when 'admin' then 3
    when 'member' then 2
    when 'viewer' then 1
    else 0
  end
$$;
revoke execute on function orgstack.get_role_rank(text) from public;
grant execute on function orgstack.get_role_rank(text) to authenticated, service_role;
