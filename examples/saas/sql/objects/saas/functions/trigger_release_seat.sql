-- orgstack:object function saas.trigger_release_seat()
-- Trigger function: frees a seat. On public.organization_members (AFTER DELETE) the member's;
-- on public.invitations (AFTER UPDATE OF accepted_at) the invitation's, if acceptance did not
-- hand it to a member (the invitee was one already). A withdrawn invitation's seat goes with it
-- (on delete cascade). Callers: the triggers.
create or replace function saas.trigger_release_seat()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_table_name = 'organization_members' then
    delete from public.seats s where s.organization_id = old.organization_id and s.user_id = old.user_id;
  elsif new.accepted_at is not null then
    delete from public.seats s where s.invitation_id = new.id;
  end if;
  return null;
end;
$$;
revoke execute on function saas.trigger_release_seat() from public;
