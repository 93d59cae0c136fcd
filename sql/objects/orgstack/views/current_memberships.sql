-- orgstack:object view orgstack.current_memberships
-- current_memberships(organization_id, role): the requesting user's memberships. Policies read
-- it as
--   organization_id = any (array(select m.organization_id from orgstack.current_memberships m))
-- (with `where m.role in (...)` for a minimum role): the array is an initPlan, computed once per
-- statement by an index-only scan inside the query itself. bench/rls measures this against a
-- security definer function returning the array: the view has no function call to pay for and
-- no plan of its own, which is what a member's cheapest requests spend most on.
-- The view runs with its owner's rights, so reading organization_members here does not recurse
-- into that table's own policies; security_barrier keeps a caller's functions from seeing rows
-- of other users before the user filter applies. Callers: policies (as authenticated).
create or replace view orgstack.current_memberships
  with (security_barrier = true)
as
  select m.organization_id, m.role
    from public.organization_members m
   where m.user_id = (select auth.uid());
revoke all on orgstack.current_memberships from public;
grant select on orgstack.current_memberships to authenticated;
