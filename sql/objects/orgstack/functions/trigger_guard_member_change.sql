-- orgstack:object function orgstack.trigger_guard_member_change()
-- orgstack:requires function orgstack.outranks(uuid, text)
-- orgstack:requires function orgstack.get_role_ladder()
-- Trigger function on organization_members (BEFORE UPDATE OR DELETE). For everyone: a
-- membership never moves, and the last owner is never removed or demoted. For API requests
-- (current_user authenticated): nobody changes their own role, and only an owner or admin of
-- strictly higher rank than the member, before and after the change, may change or remove it.
-- Security definer functions (change_member_role, ...) run as their owner and check rank
-- themselves, so the API-only rules do not apply to them.
create or replace function orgstack.trigger_guard_member_change()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
begin
  if tg_op = 'UPDATE' and (new.organization_id, new.user_id) is distinct from (old.organization_id, old.user_id) then
    raise exception using
      errcode = '42501',
      message = 'A membership cannot move to another organization or user.',
      hint = 'Remove the member and invite the other user instead.';
  end if;

  if old.role = 'owner' and (tg_op = 'DELETE' or new.role <> 'owner')
     -- While the organization itself is deleted, its members go with it.
     and exists (select 1 from public.organizations o where o.id = old.organization_id)
     and not exists (
       select 1 from public.organization_members m
        where m.organization_id = old.organization_id and m.role = 'owner' and m.user_id <> old.user_id
     ) then
    raise exception using
      errcode = '42501',
      message = format('Organization %s would be left without an owner.', old.organization_id),
      hint = 'Make another member owner first (transfer_ownership).';
  end if;

  if current_user not in ('authenticated', 'anon') then
    return case tg_op when 'DELETE' then old else new end;
  end if;

  if tg_op = 'UPDATE' and new.role is not distinct from old.role then
    return new;
  end if;
  if tg_op = 'DELETE' and old.user_id = actor then
    return old;
  end if;
  if tg_op = 'UPDATE' and old.user_id = actor then
    raise exception using
      errcode = '42501',
      message = 'You cannot change your own role.',
      hint = 'Ask an owner or admin of higher rank.';
  end if;
  if not orgstack.outranks(old.organization_id, old.role)
     or (tg_op = 'UPDATE' and not orgstack.outranks(old.organization_id, new.role)) then
    raise exception using
      errcode = '42501',
      message = format('Only an owner or admin of higher rank than the member (%s) may %s this membership.',
                       old.role, case tg_op when 'DELETE' then 'remove' else 'change' end),
      hint = format('Roles rank %s.', array_to_string(orgstack.get_role_ladder(), ' > '));
  end if;
  return case tg_op when 'DELETE' then old else new end;
end;
$$;
revoke execute on function orgstack.trigger_guard_member_change() from public;
