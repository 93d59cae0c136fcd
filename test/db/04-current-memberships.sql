-- orgstack.current_memberships, the view every policy reads: a user sees only their own
-- memberships, a caller's function is never shown anyone else's, anon cannot read it, and a
-- removed member loses access on their very next request. Personas: acme's member, an
-- outsider, anon, acme's admin, and the removed member.
begin;
select plan(12);
select tests.create_two_organizations();

-- A cheap function that notes every organization it is shown, as a leaky function would.
create function tests.note_organization(organization_id uuid)
returns boolean
language plpgsql
cost 0.0001
set search_path = ''
as $$
begin
  perform pg_catalog.set_config('tests.seen',
    coalesce(pg_catalog.current_setting('tests.seen', true), '') || note_organization.organization_id::text || ',', true);
  return true;
end;
$$;
grant execute on function tests.note_organization(uuid) to authenticated;

-- as acme member
select tests.authenticate_as('acme_member');
select results_eq($$select organization_id, role from orgstack.current_memberships$$,
  $$values (tests.get_organization_id('acme'), 'member'::text)$$,
  'acme member sees exactly their own membership');
select cmp_ok(tests.count_rows('public.projects', 'acme'), '>', 0, 'acme member sees acme projects while a member');
-- A sequential scan offers the cheap function every membership row if nothing stops it.
set local enable_indexscan = off;
set local enable_indexonlyscan = off;
set local enable_bitmapscan = off;
select is((select count(*)::int from orgstack.current_memberships m where tests.note_organization(m.organization_id)), 1,
  'a full scan filtered by a caller''s function yields only the member''s row');
select is(current_setting('tests.seen', true), tests.get_organization_id('acme')::text || ',',
  'the caller''s function was shown only the member''s own organization');
reset enable_indexscan;
reset enable_indexonlyscan;
reset enable_bitmapscan;
reset role;

-- as a user in no organization
select tests.authenticate_as('outsider');
select is((select count(*)::int from orgstack.current_memberships), 0, 'the outsider has no memberships');
reset role;

-- as anon
select tests.authenticate_as_anon();
select throws_ok('select count(*) from orgstack.current_memberships', '42501', 'permission denied for schema orgstack',
  'anon cannot read memberships');
reset role;

-- as acme admin: remove the member
select tests.authenticate_as('acme_admin');
select lives_ok($$select public.remove_member(tests.get_organization_id('acme'), tests.get_user_id('acme_member'))$$,
  'acme admin removes the member');
reset role;

-- as the removed member, on the next request
select tests.authenticate_as('acme_member');
select is((select count(*)::int from orgstack.current_memberships), 0, 'the removed member has no memberships');
select is(tests.count_rows('public.projects', 'acme'), 0, 'the removed member sees no acme project');
select is(tests.count_rows('public.organizations', 'acme'), 0, 'the removed member no longer sees acme');
select is(tests.count_changed($$update public.projects set name = 'Kept' where organization_id = tests.get_organization_id('acme')$$), 0,
  'the removed member changes no acme project, not even one they own');
select throws_ok($$insert into public.projects (organization_id, owner_id, name) values (tests.get_organization_id('acme'), tests.get_user_id('acme_member'), 'Late')$$,
  '42501', 'new row violates row-level security policy for table "projects"', 'the removed member cannot create acme projects');
reset role;

select * from finish();
rollback;
