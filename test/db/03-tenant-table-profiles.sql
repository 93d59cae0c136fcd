-- TenantTable access profiles behave as named. Tables (test/support/tenant-profile-tables.sql):
-- admin_notes (members-read/admins-write), tasks (members-write), projects (owner-rows,
-- declared in index.ts), plans (read-only), documents (custom). Personas: acme's viewer,
-- member, admin and owner; globex's owner.
begin;
select plan(44);
select tests.create_two_organizations();
select tests.create_profile_table_rows();

-- as acme viewer: reads every profile's rows of acme, writes nothing
select tests.authenticate_as('acme_viewer');
select is(tests.count_rows(t, 'acme'), 1, format('acme viewer reads %s', t))
  from unnest(array['public.admin_notes', 'public.tasks', 'public.projects', 'public.plans']::regclass[]) t;
select throws_ok($$insert into public.tasks (organization_id, body) values (tests.get_organization_id('acme'), 'x')$$,
  '42501', 'new row violates row-level security policy for table "tasks"', 'members-write: a viewer cannot insert');
select is(tests.count_changed($$update public.tasks set body = 'x'$$), 0, 'members-write: a viewer updates nothing');
select is(tests.count_changed($$delete from public.tasks$$), 0, 'members-write: a viewer deletes nothing');
select throws_ok($$insert into public.projects (organization_id, name) values (tests.get_organization_id('acme'), 'x')$$,
  '42501', 'new row violates row-level security policy for table "projects"', 'owner-rows: a viewer cannot insert');
select throws_ok($$insert into public.documents (organization_id, body) values (tests.get_organization_id('acme'), 'x')$$,
  '42501', 'new row violates row-level security policy for table "documents"', 'custom: a viewer cannot insert');
reset role;

-- as acme member
select tests.authenticate_as('acme_member');
select throws_ok($$insert into public.admin_notes (organization_id, body) values (tests.get_organization_id('acme'), 'x')$$,
  '42501', 'new row violates row-level security policy for table "admin_notes"', 'members-read/admins-write: a member cannot insert');
select is(tests.count_changed($$update public.admin_notes set body = 'x'$$), 0, 'members-read/admins-write: a member updates nothing');
select is(tests.count_changed($$delete from public.admin_notes$$), 0, 'members-read/admins-write: a member deletes nothing');
select lives_ok($$insert into public.tasks (organization_id, body) values (tests.get_organization_id('acme'), 'mine')$$, 'members-write: a member inserts');
select throws_ok($$update public.tasks set organization_id = tests.get_organization_id('globex')$$, '42501',
  format('public.tasks: organization_id cannot change (from %s to %s).', tests.get_organization_id('acme'), tests.get_organization_id('globex')),
  'members-write: the guard keeps organization_id fixed');
select is(tests.count_changed($$update public.tasks set body = 'done'$$), 2, 'members-write: a member updates their organization''s tasks');
select is(tests.count_changed($$delete from public.tasks where body = 'done'$$), 2, 'members-write: a member deletes their organization''s tasks');
select lives_ok($$insert into public.projects (organization_id, name) values (tests.get_organization_id('acme'), 'my project')$$,
  'owner-rows: a member inserts a row they own (owner_id defaults to them)');
select throws_ok($$insert into public.projects (organization_id, owner_id, name) values (tests.get_organization_id('acme'), tests.get_user_id('acme_admin'), 'x')$$,
  '42501', 'new row violates row-level security policy for table "projects"', 'owner-rows: a member cannot insert a row owned by someone else');
select is(tests.count_changed($$update public.projects set description = 'mine'$$), 2, 'owner-rows: a member updates only their own rows');
select is(tests.count_changed($$delete from public.projects where name = 'my project'$$), 1, 'owner-rows: a member deletes a row they own');
reset role;
select tests.authenticate_as('acme_viewer');
select is(tests.count_changed($$update public.projects set description = 'viewer'$$), 0, 'owner-rows: a viewer updates nothing');
reset role;
insert into auth.users (email) values ('acme_member2@example.test');
insert into public.organization_members (organization_id, user_id, role) values (tests.get_organization_id('acme'), tests.get_user_id('acme_member2'), 'member');
select tests.authenticate_as('acme_member2');
select is(tests.count_changed($$update public.projects set description = 'not mine'$$), 0, 'owner-rows: another member updates none of them');
select is(tests.count_changed($$delete from public.projects$$), 0, 'owner-rows: another member deletes none of them');
reset role;
select tests.authenticate_as('acme_member');
select throws_ok($$insert into public.plans (organization_id, body) values (tests.get_organization_id('acme'), 'x')$$,
  '42501', 'new row violates row-level security policy for table "plans"', 'read-only: a member cannot insert');
select lives_ok($$insert into public.documents (organization_id, body) values (tests.get_organization_id('acme'), 'draft')$$, 'custom: a member inserts');
select is(tests.count_rows('public.documents', 'acme'), 2, 'custom: a member reads the unarchived documents only');
select is(tests.count_changed($$update public.documents set body = 'x'$$), 0, 'custom: nobody updates documents');
select is(tests.count_changed($$delete from public.documents$$), 0, 'custom: a member deletes no document');
reset role;

-- as acme admin
select tests.authenticate_as('acme_admin');
select lives_ok($$insert into public.admin_notes (organization_id, body) values (tests.get_organization_id('acme'), 'admin note')$$,
  'members-read/admins-write: an admin inserts');
select is(tests.count_changed($$update public.admin_notes set body = 'edited'$$), 2, 'members-read/admins-write: an admin updates');
select is(tests.count_changed($$delete from public.admin_notes$$), 2, 'members-read/admins-write: an admin deletes');
select is(tests.count_changed($$update public.projects set description = 'admin'$$), 1, 'owner-rows: an admin updates every row of their organization');
select is(tests.count_changed($$update public.plans set body = 'x'$$), 0, 'read-only: an admin updates nothing');
select is(tests.count_changed($$delete from public.plans$$), 0, 'read-only: an admin deletes nothing');
select is(tests.count_changed($$delete from public.documents$$), 0, 'custom: an admin deletes no document (owners only)');
reset role;

-- as acme owner
select tests.authenticate_as('acme_owner');
select is(tests.count_changed($$delete from public.documents$$), 3,
  'custom: an owner deletes every acme document (a DELETE that reads no column needs no select policy)');
select is(tests.count_changed($$update public.plans set body = 'x'$$), 0, 'read-only: even an owner updates nothing');
select is(tests.count_changed($$delete from public.projects$$), 1, 'owner-rows: an owner (admin or above) deletes any row of their organization');
reset role;

-- as globex owner: none of acme's rows in any profile
select tests.authenticate_as('globex_owner');
select is(tests.count_rows(t, 'acme'), 0, format('globex owner reads no acme rows in %s', t))
  from unnest(array['public.admin_notes', 'public.tasks', 'public.projects', 'public.plans', 'public.documents']::regclass[]) t;
select is(tests.count_changed($$update public.tasks set body = 'pwned' where organization_id = tests.get_organization_id('acme')$$), 0,
  'globex owner changes no acme task');
reset role;

select * from finish();
rollback;
