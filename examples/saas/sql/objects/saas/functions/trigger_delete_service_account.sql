-- orgstack:object function saas.trigger_delete_service_account()
-- Trigger function on public.api_keys (AFTER DELETE): the key's service account goes with it,
-- and with it its membership. Callers: the trigger.
create or replace function saas.trigger_delete_service_account()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from auth.users u where u.id = old.user_id;
  return null;
end;
$$;
revoke execute on function saas.trigger_delete_service_account() from public;
