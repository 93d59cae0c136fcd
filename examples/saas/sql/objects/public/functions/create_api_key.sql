-- orgstack:object function public.create_api_key(uuid, text, text[], timestamptz)
-- create_api_key(organization_id, name, scopes, expires_at) -> text: a new API key of the
-- workspace, returned once: only its SHA-256 digest is stored (saas.api_key_digests). The key acts as a service
-- account that is a member of this workspace alone, limited to `scopes`. Owners and admins
-- only; the plan's features.api_keys caps the live keys. Callers: authenticated.
create or replace function public.create_api_key(
  organization_id uuid,
  name text,
  scopes text[],
  expires_at timestamptz default null
)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  secret text := 'sk_' || encode(extensions.gen_random_bytes(4), 'hex') || '_' || encode(extensions.gen_random_bytes(24), 'hex');
  account uuid := gen_random_uuid();
  created uuid;
  key_limit integer;
begin
  if not orgstack.has_role(create_api_key.organization_id, 'admin') then
    raise exception using errcode = '42501',
      message = format('Only owners and admins of workspace %s create API keys.', create_api_key.organization_id),
      hint = 'Ask an owner or admin of the workspace.';
  end if;
  perform 1 from public.organizations o where o.id = create_api_key.organization_id for no key update;
  select coalesce((p.features ->> 'api_keys')::integer, 0) into key_limit
    from public.subscriptions s join public.plans p on p.id = s.plan_id
   where s.organization_id = create_api_key.organization_id;
  if (select count(*) from public.api_keys k where k.organization_id = create_api_key.organization_id and k.revoked_at is null) >= coalesce(key_limit, 0) then
    raise exception using errcode = 'P0001',
      message = format('Workspace %s has all %s API keys its plan allows.', create_api_key.organization_id, coalesce(key_limit, 0)),
      hint = 'Revoke a key, or upgrade the plan.';
  end if;
  insert into auth.users (id, email) values (account, 'api-key-' || account || '@service-accounts.invalid');
  insert into public.api_keys (organization_id, name, prefix, scopes, user_id, created_by, expires_at)
  values (create_api_key.organization_id, create_api_key.name, left(secret, 11),
          create_api_key.scopes, account, (select auth.uid()), create_api_key.expires_at)
  returning id into created;
  insert into saas.api_key_digests (api_key_id, key_hash) values (created, extensions.digest(secret, 'sha256'));
  insert into public.organization_members (organization_id, user_id, role)
  values (create_api_key.organization_id, account, 'member');
  return secret;
end;
$$;
revoke execute on function public.create_api_key(uuid, text, text[], timestamptz) from public, anon;
grant execute on function public.create_api_key(uuid, text, text[], timestamptz) to authenticated;
