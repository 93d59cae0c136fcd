-- orgstack:object function saas.trigger_refuse_api_key_workspace()
-- Trigger function on public.organizations (BEFORE INSERT): a request made with an API key
-- (claims carry api_key_id, set by public.authenticate_api_key) creates no workspace. Its
-- service account would own the new one, and from there mint keys and invite people outside
-- the workspace the key was made for. Reads the claims, not current_user, so
-- public.create_organization (security definer) is refused alike. Callers: the trigger.
create or replace function saas.trigger_refuse_api_key_workspace()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if coalesce(nullif(current_setting('request.jwt.claims', true), '')::jsonb ? 'api_key_id', false) then
    raise exception using errcode = '42501',
      message = 'An API key acts in its own workspace only: it creates no workspace.',
      hint = 'Sign in as a user to create a workspace.';
  end if;
  return new;
end;
$$;
revoke execute on function saas.trigger_refuse_api_key_workspace() from public;
