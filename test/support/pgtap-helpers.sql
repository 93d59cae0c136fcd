-- The reference program's fixtures for the pgTAP suites in test/db, loaded after the library's
-- personas and helpers (sql/testing/pgtap-helpers.sql) by test/db/pgtap-backend.ts.

-- tests.create_two_organizations(): organizations acme and globex, each with an owner, an
-- admin, a member and a viewer (acme_owner, acme_admin, ...), a user in no organization
-- (outsider), and one row of every tenant table in each organization.
create or replace function tests.create_two_organizations()
returns void
language plpgsql
set search_path = ''
as $$
declare
  org text;
  persona text;
  organization uuid;
begin
  insert into auth.users (email) values ('outsider@example.test');
  foreach org in array array['acme', 'globex'] loop
    foreach persona in array array['owner', 'admin', 'member', 'viewer'] loop
      insert into auth.users (email) values (org || '_' || persona || '@example.test');
    end loop;
    insert into public.organizations (name, slug, created_by)
    values (initcap(org), org, tests.get_user_id(org || '_owner'))
    returning id into organization;
    insert into public.organization_members (organization_id, user_id, role)
    select organization, tests.get_user_id(org || '_' || p), p
      from unnest(array['admin', 'member', 'viewer']) p;
    insert into public.invitations (organization_id, email, role, invited_by)
    values (organization, 'outsider@example.test', 'member', tests.get_user_id(org || '_admin'));
    insert into public.audit_logs (organization_id, actor_id, action, table_name, record_id)
    values (organization, tests.get_user_id(org || '_admin'), 'UPDATE', 'organizations', organization::text);
    insert into public.activity_feed (organization_id, actor_id, activity_type, description)
    values (organization, tests.get_user_id(org || '_member'), 'project.created', 'created a project');
    insert into public.notifications (user_id, organization_id, type, title)
    select tests.get_user_id(org || '_' || p), organization, 'welcome', 'Welcome to ' || org
      from unnest(array['owner', 'admin', 'member', 'viewer']) p;
    insert into public.projects (organization_id, owner_id, name)
    values (organization, tests.get_user_id(org || '_member'), org || ' roadmap');
  end loop;
end;
$$;

-- tests.create_profile_table_rows(): in each organization, one row of every table of
-- test/support/tenant-profile-tables.sql, and a second, archived document.
create or replace function tests.create_profile_table_rows()
returns void
language sql
set search_path = ''
as $$
  insert into public.admin_notes (organization_id, body) select id, slug || ' note' from public.organizations;
  insert into public.tasks (organization_id, body) select id, slug || ' task' from public.organizations;
  insert into public.plans (organization_id, body) select id, slug || ' plan' from public.organizations;
  insert into public.documents (organization_id, body, archived)
    select o.id, o.slug || d.body, d.archived from public.organizations o, (values (' doc', false), (' old doc', true)) d(body, archived);
$$;

-- tests.create_user_without_profile(handle) -> uuid: a user <handle>@example.test in no
-- organization whose profile is not there yet, as after a sign-up whose profile insert failed.
create or replace function tests.create_user_without_profile(handle text)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  created uuid;
begin
  insert into auth.users (email) values (create_user_without_profile.handle || '@example.test')
  returning id into created;
  delete from public.profiles p where p.id = created;
  return created;
end;
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

-- The tenant tables every isolation assertion walks through.
create or replace function tests.get_tenant_tables()
returns setof regclass
language sql
stable
as $$
  select unnest(array[
    'public.organizations', 'public.profiles', 'public.organization_members', 'public.invitations',
    'public.audit_logs', 'public.activity_feed', 'public.notifications', 'public.projects'
  ]::regclass[])
$$;
grant execute on function tests.get_tenant_tables() to anon, authenticated, service_role;