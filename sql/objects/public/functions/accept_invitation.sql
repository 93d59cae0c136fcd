-- orgstack:object function public.accept_invitation(uuid)
-- accept_invitation(invitation_id) -> uuid: the requesting user joins the organization with
-- the invited role and gets its id back. Only the invited email may accept, once, before it
-- expires. Security definer: members cannot insert memberships themselves.
-- Callers: authenticated.
create or replace function public.accept_invitation(invitation_id uuid)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  invitation public.invitations;
  actor uuid := (select auth.uid());
begin
  select * into invitation from public.invitations i where i.id = accept_invitation.invitation_id for update;
  if not found or actor is null or invitation.email is distinct from lower((select auth.email())) then
    raise exception using
      errcode = '42501',
      message = 'This invitation does not exist or was sent to another address.',
      hint = 'Sign in with the invited email address.';
  end if;
  if invitation.accepted_at is not null then
    raise exception using errcode = '42501', message = 'This invitation was already accepted.',
      hint = 'Ask an admin of the organization for a new invitation.';
  end if;
  if invitation.expires_at <= now() then
    raise exception using errcode = '42501', message = format('This invitation expired at %s.', invitation.expires_at),
      hint = 'Ask an admin of the organization for a new invitation.';
  end if;
  insert into public.organization_members (organization_id, user_id, role)
  values (invitation.organization_id, actor, invitation.role)
  on conflict (organization_id, user_id) do nothing;
  update public.invitations set accepted_at = now() where id = invitation.id;
  return invitation.organization_id;
end;
$$;
revoke execute on function public.accept_invitation(uuid) from public, anon;
grant execute on function public.accept_invitation(uuid) to authenticated;
