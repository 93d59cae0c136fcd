-- orgstack:object function public.remove_member(uuid, uuid)
-- orgstack:requires function orgstack.outranks(uuid, text)
-- orgstack:requires function orgstack.is_member(uuid)
-- orgstack:requires function orgstack.get_role_ladder()
-- remove_member(organization_id, user_id): a member leaves, or an owner or admin removes a
-- member they outrank. The last owner cannot leave. Callers: authenticated.
create or replace function public.remove_member(organization_id uuid, user_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_role text;
begin
  select m.role into target_role from public.organization_members m
   where m.organization_id = remove_member.organization_id and m.user_id = remove_member.user_id
   for update;
  if not found or not orgstack.is_member(remove_member.organization_id) then
    raise exception using errcode = '42501', message = 'No such member in an organization you belong to.';
  end if;
  if remove_member.user_id <> (select auth.uid())
     and not orgstack.outranks(remove_member.organization_id, target_role) then
    raise exception using errcode = '42501',
      message = format('Only an owner or admin of higher rank than %s may remove this member.', target_role),
      hint = format('Roles rank %s.', array_to_string(orgstack.get_role_ladder(), ' > '));
  end if;
  delete from public.organization_members m
   where m.organization_id = remove_member.organization_id and m.user_id = remove_member.user_id;
end;
$$;
revoke execute on function public.remove_member(uuid, uuid) from public, anon;
grant execute on function public.remove_member(uuid, uuid) to authenticated;
