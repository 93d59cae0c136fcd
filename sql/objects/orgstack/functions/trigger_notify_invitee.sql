-- orgstack:object function orgstack.trigger_notify_invitee()
-- Trigger function on public.invitations (AFTER INSERT): notifies the invited user when an
-- account with that email exists. Security definer: inviters cannot write notifications.
create or replace function orgstack.trigger_notify_invitee()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.notifications (user_id, organization_id, type, title, data)
  select p.id, new.organization_id, 'invitation.received',
         format('You are invited to join %s', o.name),
         jsonb_build_object('invitation_id', new.id, 'role', new.role)
    from public.profiles p join public.organizations o on o.id = new.organization_id
   where p.email = new.email;
  return null;
end;
$$;
revoke execute on function orgstack.trigger_notify_invitee() from public;
