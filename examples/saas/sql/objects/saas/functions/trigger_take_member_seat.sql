-- orgstack:object function saas.trigger_take_member_seat()
-- Trigger function on public.organization_members (AFTER INSERT): the new member takes the seat
-- their open invitation held, or a new seat (refused past the limit). An API key's service
-- account takes no seat. Security definer: members cannot write seats. Callers: the trigger.
create or replace function saas.trigger_take_member_seat()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.api_keys k where k.user_id = new.user_id) then
    return null;
  end if;
  update public.seats s
     set user_id = new.user_id, invitation_id = null
   where s.id = (
     select s2.id from public.seats s2
       join public.invitations i on i.id = s2.invitation_id
       join public.profiles p on p.email = i.email
      where s2.organization_id = new.organization_id and p.id = new.user_id and i.accepted_at is null
      limit 1);
  if not found then
    insert into public.seats (organization_id, user_id) values (new.organization_id, new.user_id);
  end if;
  return null;
end;
$$;
revoke execute on function saas.trigger_take_member_seat() from public;
