-- orgstack:object function public.transfer_ownership(uuid, uuid)
-- orgstack:requires function orgstack.has_role(uuid, text)
-- transfer_ownership(organization_id, new_owner_id): an owner makes another member owner and
-- becomes admin. Callers: authenticated.
create or replace function public.transfer_ownership(organization_id uuid, new_owner_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
begin
  if not orgstack.has_role(transfer_ownership.organization_id, 'owner') then
    raise exception using errcode = '42501', message = 'Only an owner can transfer ownership.';
  end if;
  if transfer_ownership.new_owner_id = actor then
    raise exception using errcode = '42501', message = 'You already own this organization.';
  end if;
  update public.organization_members m set role = 'owner'
   where m.organization_id = transfer_ownership.organization_id and m.user_id = transfer_ownership.new_owner_id;
  if not found then
    raise exception using errcode = '42501', message = 'The new owner must already be a member of the organization.',
      hint = 'Invite them first.';
  end if;
  update public.organization_members m set role = 'admin'
   where m.organization_id = transfer_ownership.organization_id and m.user_id = actor;
end;
$$;
revoke execute on function public.transfer_ownership(uuid, uuid) from public, anon;
grant execute on function public.transfer_ownership(uuid, uuid) to authenticated;
