-- orgstack:object function public.change_member_role(uuid, uuid, text)
-- orgstack:requires function orgstack.outranks(uuid, text)
-- orgstack:requires function orgstack.is_member(uuid)
-- orgstack:requires function orgstack.get_role_ladder()
-- change_member_role(organization_id, user_id, new_role): an owner or admin changes another
-- member's role to any role of orgstack.get_role_ladder() but owner (admin, member or viewer).
-- The caller must outrank the member's current and new role; nobody changes their own role;
-- ownership moves only with transfer_ownership.
-- Callers: authenticated.
create or replace function public.change_member_role(organization_id uuid, user_id uuid, new_role text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  current_role_name text;
  givable text[] := array_remove(orgstack.get_role_ladder(), 'owner');
begin
  if not coalesce(change_member_role.new_role = any (givable), false) then
    raise exception using errcode = '22023',
      message = format('Role %L cannot be given with change_member_role; use %s or %s.', change_member_role.new_role,
                       array_to_string(givable[:cardinality(givable) - 1], ', '), givable[cardinality(givable)]),
      hint = 'Use transfer_ownership to make someone owner.';
  end if;
  if change_member_role.user_id = (select auth.uid()) then
    raise exception using errcode = '42501', message = 'You cannot change your own role.',
      hint = 'Ask an owner or admin of higher rank.';
  end if;
  select m.role into current_role_name from public.organization_members m
   where m.organization_id = change_member_role.organization_id and m.user_id = change_member_role.user_id
   for update;
  if not found or not orgstack.is_member(change_member_role.organization_id) then
    raise exception using errcode = '42501', message = 'No such member in an organization you belong to.';
  end if;
  if not orgstack.outranks(change_member_role.organization_id, current_role_name)
     or not orgstack.outranks(change_member_role.organization_id, change_member_role.new_role) then
    raise exception using errcode = '42501',
      message = format('Only an owner or admin of higher rank than %s and %s may make this change.', current_role_name, change_member_role.new_role),
      hint = format('Roles rank %s.', array_to_string(orgstack.get_role_ladder(), ' > '));
  end if;
  update public.organization_members m set role = change_member_role.new_role
   where m.organization_id = change_member_role.organization_id and m.user_id = change_member_role.user_id;
end;
$$;
revoke execute on function public.change_member_role(uuid, uuid, text) from public, anon;
grant execute on function public.change_member_role(uuid, uuid, text) to authenticated;
