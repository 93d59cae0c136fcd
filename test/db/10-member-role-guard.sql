-- organization_members.role and invitations.role hold only roles of orgstack.get_role_ladder():
-- the guard triggers organization_members_guard_role and invitations_guard_role, not CHECK
-- constraints listing the roles, refuse any other role, on insert and on update, for every
-- role including those that bypass row-level security. An invitation never makes an owner.
-- Each refusal has its allowed counterpart, so a guard that refused everything would fail too.
-- Personas: the platform (the tables' owner), the service role and acme's owner.
begin;
select plan(20);
select tests.create_two_organizations();
insert into auth.users (email) values ('newcomer@example.test');

-- The hint of the error a statement raises (null when it raises none).
create function tests.get_error_hint(statement text)
returns text
language plpgsql
set search_path = ''
as $$
declare
  hint text;
begin
  execute get_error_hint.statement;
  return null;
exception when others then
  get stacked diagnostics hint = pg_exception_hint;
  return hint;
end;
$$;

-- as the platform
select is(
  (select count(*)::int from pg_catalog.pg_constraint c
    where c.conrelid in ('public.organization_members'::regclass, 'public.invitations'::regclass)
      and c.contype = 'c' and pg_catalog.pg_get_constraintdef(c.oid) like '%role%'),
  0, 'no CHECK constraint lists the roles of organization_members or invitations');
select throws_ok($$insert into public.organization_members (organization_id, user_id, role) values (tests.get_organization_id('acme'), tests.get_user_id('newcomer'), 'guest')$$,
  '23514', 'public.organization_members.role cannot be ''guest''; use owner, admin, member or viewer.',
  'organization_members insert: the platform cannot give a role off the ladder');
select throws_ok($$insert into public.organization_members (organization_id, user_id, role) values (tests.get_organization_id('acme'), tests.get_user_id('newcomer'), null)$$,
  '23514', 'public.organization_members.role cannot be NULL; use owner, admin, member or viewer.',
  'organization_members insert: the platform cannot give no role');

-- as the service role
select tests.authenticate_with_key('service_role');
select throws_ok($$insert into public.organization_members (organization_id, user_id, role) values (tests.get_organization_id('acme'), tests.get_user_id('newcomer'), 'Admin')$$,
  '23514', 'public.organization_members.role cannot be ''Admin''; use owner, admin, member or viewer.',
  'organization_members insert: the service role cannot give a role off the ladder');
select is(tests.count_changed($$insert into public.organization_members (organization_id, user_id, role) values (tests.get_organization_id('acme'), tests.get_user_id('newcomer'), 'viewer')$$), 1,
  'organization_members insert: the service role adds a viewer');
select throws_ok($$update public.organization_members set role = 'guest' where user_id = tests.get_user_id('acme_member')$$,
  '23514', 'public.organization_members.role cannot be ''guest''; use owner, admin, member or viewer.',
  'organization_members update: the service role cannot change a role to one off the ladder');
select is(tests.count_changed($$update public.organization_members set role = 'viewer' where user_id = tests.get_user_id('acme_member')$$), 1,
  'organization_members update: the service role changes a role');
select throws_ok($$insert into public.invitations (organization_id, email, role) values (tests.get_organization_id('acme'), 'guest@example.test', 'guest')$$,
  '23514', 'public.invitations.role cannot be ''guest''; use admin, member or viewer.',
  'invitations insert: the service role cannot invite with a role off the ladder');
select throws_ok($$insert into public.invitations (organization_id, email, role) values (tests.get_organization_id('acme'), 'heir@example.test', 'owner')$$,
  '23514', 'public.invitations.role cannot be ''owner''; use admin, member or viewer.',
  'invitations insert: the service role cannot invite an owner');
select is(tests.count_changed($$insert into public.invitations (organization_id, email, role) values (tests.get_organization_id('acme'), 'lead@example.test', 'admin')$$), 1,
  'invitations insert: the service role invites an admin');
select throws_ok($$update public.invitations set role = 'guest' where email = 'outsider@example.test' and organization_id = tests.get_organization_id('acme')$$,
  '23514', 'public.invitations.role cannot be ''guest''; use admin, member or viewer.',
  'invitations update: the service role cannot change an invitation to a role off the ladder');
select throws_ok($$update public.invitations set role = 'owner' where email = 'outsider@example.test' and organization_id = tests.get_organization_id('acme')$$,
  '23514', 'public.invitations.role cannot be ''owner''; use admin, member or viewer.',
  'invitations update: the service role cannot make an invitation an owner''s');
select is(tests.count_changed($$update public.invitations set role = 'viewer' where email = 'outsider@example.test' and organization_id = tests.get_organization_id('acme')$$), 1,
  'invitations update: the service role changes an invitation''s role');
reset role;

-- as acme owner, through the API
select tests.authenticate_as('acme_owner');
select throws_ok($$update public.organization_members set role = 'guest' where user_id = tests.get_user_id('acme_admin')$$,
  '23514', 'public.organization_members.role cannot be ''guest''; use owner, admin, member or viewer.',
  'organization_members update: acme owner cannot change a role to one off the ladder');
select is(tests.count_changed($$update public.organization_members set role = 'member' where user_id = tests.get_user_id('acme_admin')$$), 1,
  'organization_members update: acme owner changes an admin to member');
select throws_ok($$insert into public.invitations (organization_id, email, role, invited_by) values (tests.get_organization_id('acme'), 'guest@example.test', 'guest', auth.uid())$$,
  '23514', 'public.invitations.role cannot be ''guest''; use admin, member or viewer.',
  'invitations insert: acme owner cannot invite with a role off the ladder');
select is(tests.count_changed($$insert into public.invitations (organization_id, email, role, invited_by) values (tests.get_organization_id('acme'), 'guest@example.test', 'member', auth.uid())$$), 1,
  'invitations insert: acme owner invites a member');
select throws_ok($$update public.invitations set role = 'guest' where email = 'guest@example.test'$$,
  '23514', 'public.invitations.role cannot be ''guest''; use admin, member or viewer.',
  'invitations update: acme owner cannot change an invitation to a role off the ladder');
select is(tests.count_changed($$update public.invitations set role = 'admin' where email = 'guest@example.test'$$), 1,
  'invitations update: acme owner changes an invitation to admin');
reset role;

-- as the platform: the refusal's hint shows the ladder
select is(tests.get_error_hint($$update public.organization_members set role = 'guest' where user_id = tests.get_user_id('acme_viewer')$$),
  'Roles rank owner > admin > member > viewer; a new role is added to orgstack.get_role_ladder().',
  'organization_members: the refusal''s hint ranks the roles of the ladder');

select * from finish();
rollback;
