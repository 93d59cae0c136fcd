-- orgstack:object function saas.trigger_take_invitation_seat()
-- Trigger function on public.invitations (AFTER INSERT): an open invitation holds a seat until
-- it is accepted or withdrawn, so invitations cannot promise more seats than are paid for.
-- Callers: the trigger.
create or replace function saas.trigger_take_invitation_seat()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.seats (organization_id, invitation_id) values (new.organization_id, new.id);
  return null;
end;
$$;
revoke execute on function saas.trigger_take_invitation_seat() from public;
