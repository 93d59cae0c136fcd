-- orgstack:object function saas.trigger_guard_service_account()
-- Trigger function on public.organization_members (BEFORE UPDATE OF role): an API key's service
-- account stays a plain member, so no admin can widen a key beyond its scopes by promoting it.
-- Callers: the trigger.
create or replace function saas.trigger_guard_service_account()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.role <> 'member' and exists (select 1 from public.api_keys k where k.user_id = new.user_id) then
    raise exception using errcode = '42501',
      message = format('User %s is an API key''s service account; its role stays member.', new.user_id),
      hint = 'Create a key with the scopes it needs instead.';
  end if;
  return new;
end;
$$;
revoke execute on function saas.trigger_guard_service_account() from public;
