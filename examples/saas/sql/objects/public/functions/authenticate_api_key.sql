-- orgstack:object function public.authenticate_api_key(text)
-- authenticate_api_key(key) -> uuid: presents an API key. The gateway (an edge function, or any
-- server holding the authenticator login) opens the request as `authenticated` with no user and
-- calls this first; the rest of the transaction then runs as the key's service account (JWT
-- claims sub, api_key_id, organization_id, scopes), which is a member of the key's workspace
-- only, so row-level security confines it there, and saas.trigger_check_api_key_scope refuses
-- writes outside its scopes. Returns the workspace's id, and meters one 'api.requests' event.
-- An unknown, revoked and expired key get the same refusal. Callers: authenticated.
create or replace function public.authenticate_api_key(key text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  found_key public.api_keys;
begin
  if (select auth.uid()) is not null then
    raise exception using errcode = '42501',
      message = 'An API key is presented on a request without a signed-in user.',
      hint = 'Send the key without a user''s token.';
  end if;
  select k.* into found_key
    from saas.api_key_digests d join public.api_keys k on k.id = d.api_key_id
   where d.key_hash = extensions.digest(authenticate_api_key.key, 'sha256')
     and k.revoked_at is null and (k.expires_at is null or k.expires_at > now());
  if not found then
    raise exception using errcode = '28000',
      message = 'This API key is not valid: it is unknown, revoked or expired.',
      hint = 'Create a new key in the workspace''s settings.';
  end if;
  perform set_config('request.jwt.claims', json_build_object(
    'sub', found_key.user_id, 'role', 'authenticated', 'api_key_id', found_key.id,
    'organization_id', found_key.organization_id, 'scopes', found_key.scopes)::text, true);
  update public.api_keys k set last_used_at = now()
   where k.id = found_key.id and (k.last_used_at is null or k.last_used_at < now() - interval '1 minute');
  insert into public.usage_events (organization_id, metric, api_key_id)
  values (found_key.organization_id, 'api.requests', found_key.id);
  return found_key.organization_id;
end;
$$;
revoke execute on function public.authenticate_api_key(text) from public, anon;
grant execute on function public.authenticate_api_key(text) to authenticated;
