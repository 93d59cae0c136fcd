-- The library's pgTAP personas and helpers, for any program's suites (the platform's in test/db
-- and each app's test/NN-*.sql, which `orgstack-test` runs). Loaded once per test database,
-- after the stack is up; every suite runs in a transaction that it rolls back.

create extension if not exists pgtap with schema extensions;

create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

-- tests.get_user_id(handle) -> uuid: the user created as <handle>@example.test.
create or replace function tests.get_user_id(handle text)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select u.id from auth.users u where u.email = get_user_id.handle || '@example.test'
$$;

-- tests.get_organization_id(slug) -> uuid
create or replace function tests.get_organization_id(slug text)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select o.id from public.organizations o where o.slug = get_organization_id.slug
$$;

-- tests.authenticate_as(handle): the rest of the transaction runs as that user through the
-- API: role authenticated with the user's JWT claims, exactly as PostgREST sets them.
create or replace function tests.authenticate_as(handle text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('request.jwt.claims', json_build_object(
    'sub', tests.get_user_id(authenticate_as.handle),
    'email', authenticate_as.handle || '@example.test',
    'role', 'authenticated')::text, true);
  perform set_config('role', 'authenticated', true);
end;
$$;

-- tests.authenticate_with_key(key_role): an API request without a user, made with the anon key
-- ('anon') or the service key ('service_role', as edge functions and the platform's jobs make
-- them; it bypasses row-level security, so only grants and triggers stand in its way).
create or replace function tests.authenticate_with_key(key_role text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('request.jwt.claims', json_build_object('role', authenticate_with_key.key_role)::text, true);
  perform set_config('role', authenticate_with_key.key_role, true);
end;
$$;

-- tests.authenticate_as_anon(): an API request without a user.
create or replace function tests.authenticate_as_anon()
returns void
language sql
set search_path = ''
as $$
  select tests.authenticate_with_key('anon')
$$;

-- tests.count_changed(statement) -> integer: rows an INSERT/UPDATE/DELETE changed, run as the
-- current role so row-level security applies. Lets a suite assert "changed nothing".
create or replace function tests.count_changed(statement text)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  changed integer;
begin
  execute format('with changed as (%s returning 1) select count(*)::int from changed', statement) into changed;
  return changed;
end;
$$;

-- tests.count_rows(table, organization) -> integer: rows of a tenant table that belong to the
-- organization, as the current role sees them.
create or replace function tests.count_rows(table_name regclass, slug text)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  visible integer;
  filter text := case table_name
    when 'public.organizations'::regclass then 'id = $1'
    when 'public.profiles'::regclass then 'id = any (tests.get_member_ids($1))'
    else 'organization_id = $1'
  end;
begin
  execute format('select count(*)::int from %s where %s', table_name, filter)
    into visible using tests.get_organization_id(slug);
  return visible;
end;
$$;

-- tests.get_member_ids(organization) -> uuid[]: its members, whoever asks.
create or replace function tests.get_member_ids(organization_id uuid)
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select array_agg(m.user_id) from public.organization_members m where m.organization_id = get_member_ids.organization_id
$$;

-- tests.add_membership(handle, slug, role): makes <handle>@example.test a member of the
-- organization with that role, as the platform does when an invitation is accepted.
create or replace function tests.add_membership(handle text, slug text, role text)
returns void
language sql
set search_path = ''
as $$
  insert into public.organization_members (organization_id, user_id, role)
  values (tests.get_organization_id(add_membership.slug), tests.get_user_id(add_membership.handle), add_membership.role)
$$;
grant execute on function tests.add_membership(text, text, text) to anon, authenticated, service_role;

-- tests.get_plan(statement) -> text: EXPLAIN (verbose, costs off) of the statement, planned as
-- the current role, so the plan shows the row-level security that role gets. Lets a suite
-- assert a policy's shape: an initPlan, constants folded, no function call per row.
create or replace function tests.get_plan(statement text)
returns text
language plpgsql
set search_path = ''
as $$
declare
  line text;
  plan text := '';
begin
  for line in execute 'explain (verbose, costs off) ' || get_plan.statement loop
    plan := plan || line || E'\n';
  end loop;
  return plan;
end;
$$;
grant execute on function tests.get_plan(text) to anon, authenticated, service_role;

-- tests.create_organization_personas(slug) -> uuid: an organization `slug` whose users
-- <slug>_owner, <slug>_admin, <slug>_member and <slug>_viewer hold those roles.
create or replace function tests.create_organization_personas(slug text)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  persona text;
  organization uuid;
begin
  foreach persona in array array['owner', 'admin', 'member', 'viewer'] loop
    insert into auth.users (email) values (create_organization_personas.slug || '_' || persona || '@example.test');
  end loop;
  insert into public.organizations (name, slug, created_by)
  values (initcap(create_organization_personas.slug), create_organization_personas.slug,
          tests.get_user_id(create_organization_personas.slug || '_owner'))
  returning id into organization;
  insert into public.organization_members (organization_id, user_id, role)
  select organization, tests.get_user_id(create_organization_personas.slug || '_' || p), p
    from unnest(array['admin', 'member', 'viewer']) p;
  return organization;
end;
$$;

-- tests.create_user(handle) -> uuid: a signed-up user <handle>@example.test in no organization.
create or replace function tests.create_user(handle text)
returns uuid
language sql
set search_path = ''
as $$
  insert into auth.users (email) values (create_user.handle || '@example.test') returning id
$$;

-- tests.create_outsider() -> uuid: the user `outsider`, signed up and in no organization.
create or replace function tests.create_outsider()
returns uuid
language sql
set search_path = ''
as $$
  select tests.create_user('outsider')
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;
