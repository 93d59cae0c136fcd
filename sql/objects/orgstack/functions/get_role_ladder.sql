-- orgstack:object function orgstack.get_role_ladder()
-- get_role_ladder() -> text[]: the member roles, highest rank first: owner > admin > member >
-- viewer. Each role may do everything the roles below it may.
-- The one SQL definition of the ladder: get_role_rank, and through it every function and guard
-- that compares roles, derive from it. Adding a role is one edit here and one in
-- components/lib/roles.ts (every policy; test/unit/roles.test.ts checks that the two agree): the role guards on organization_members and invitations read
-- this ladder, so no migration is needed. Immutable, so a call with constant arguments is folded into a
-- constant when a statement is planned: policies pay nothing for it.
-- Callers: the rank functions, guards and privileged functions, tests.
create or replace function orgstack.get_role_ladder()
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select array['owner', 'admin', 'member', 'viewer']
$$;
revoke execute on function orgstack.get_role_ladder() from public;
grant execute on function orgstack.get_role_ladder() to authenticated, service_role;
