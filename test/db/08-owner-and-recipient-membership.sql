-- A row's owner is a member of the row's organization, and only a member of it is notified.
-- Handing an acme project to a globex user or to a user in no organization, with a title of
-- the attacker's choosing, is refused for every persona: by the owner-rows update policy for
-- API users, even an admin who is also in globex, and by the notify trigger for the service
-- role, which bypasses row-level security. No notification reaches them. Handing it to an
-- acme member still works and notifies that member. An admin rewrites only invitations below
-- their rank, judged on the stored invitation as well as the new one. Personas: acme's
-- member, admin, viewer and owner; globex's member; the outsider; the service role.
begin;
select plan(30);
select tests.create_two_organizations();

-- as acme member
select tests.authenticate_as('acme_member');
select throws_ok($$insert into public.projects (organization_id, owner_id, name) values (tests.get_organization_id('acme'), tests.get_user_id('outsider'), 'Outsourced')$$,
  '42501', 'new row violates row-level security policy for table "projects"', 'projects insert: acme member cannot create a project owned by the outsider');
select throws_ok($$insert into public.projects (organization_id, owner_id, name) values (tests.get_organization_id('acme'), tests.get_user_id('globex_member'), 'Outsourced')$$,
  '42501', 'new row violates row-level security policy for table "projects"', 'projects insert: acme member cannot create a project owned by a globex user');
select throws_ok($$update public.projects set owner_id = tests.get_user_id('globex_member') where name = 'acme roadmap'$$,
  '42501', 'new row violates row-level security policy for table "projects"', 'projects update: acme member cannot hand their project to a globex user');
reset role;

-- as acme admin
select tests.authenticate_as('acme_admin');
select throws_ok($$update public.projects set owner_id = tests.get_user_id('globex_member'), name = 'Urgent: re-enter your password at evil.example' where name = 'acme roadmap'$$,
  '42501', 'new row violates row-level security policy for table "projects"', 'projects update: acme admin cannot hand the acme project to a globex user');
select throws_ok($$update public.projects set owner_id = tests.get_user_id('outsider'), name = 'Urgent: re-enter your password at evil.example' where name = 'acme roadmap'$$,
  '42501', 'new row violates row-level security policy for table "projects"', 'projects update: acme admin cannot hand the acme project to a user in no organization');
select is((select owner_id from public.projects where name = 'acme roadmap'), tests.get_user_id('acme_member'),
  'projects update: the acme project still belongs to the acme member');
select is(tests.count_changed($$update public.projects set owner_id = tests.get_user_id('acme_viewer') where name = 'acme roadmap'$$), 1,
  'projects update: acme admin hands the acme project to the acme viewer');
select is((select owner_id from public.projects where name = 'acme roadmap'), tests.get_user_id('acme_viewer'),
  'projects update: the acme viewer owns the acme project');
select is(tests.count_changed($$update public.projects set owner_id = null where name = 'acme roadmap'$$), 1,
  'projects update: acme admin leaves the acme project without an owner');
select is(tests.count_changed($$update public.projects set description = 'unassigned' where name = 'acme roadmap'$$), 1,
  'projects update: acme admin edits the project that has no owner');
reset role;

-- as acme admin, also a member of globex
select tests.add_membership('acme_admin', 'globex', 'member');
select tests.authenticate_as('acme_admin');
select throws_ok($$update public.projects set owner_id = tests.get_user_id('globex_member') where name = 'acme roadmap'$$,
  '42501', 'new row violates row-level security policy for table "projects"',
  'projects update: acme admin cannot hand the acme project to a globex user they share globex with');
select is((select owner_id from public.projects where name = 'acme roadmap'), null::uuid,
  'projects update: the acme project still has no owner');
reset role;

-- as acme viewer
select tests.authenticate_as('acme_viewer');
select is((select array_agg(title) from public.notifications where type = 'project.assigned'), array['acme roadmap'],
  'notifications: the acme viewer is told the acme roadmap was handed to them');
select is((select data ->> 'by' from public.notifications where type = 'project.assigned'), tests.get_user_id('acme_admin')::text,
  'notifications: the acme viewer''s notification names the acme admin as who handed it on');
reset role;

-- as acme owner
select tests.authenticate_as('acme_owner');
select throws_ok($$update public.projects set owner_id = tests.get_user_id('outsider') where name = 'acme roadmap'$$,
  '42501', 'new row violates row-level security policy for table "projects"', 'projects update: acme owner cannot hand the acme project to a user in no organization');
select is(tests.count_changed($$update public.projects set owner_id = tests.get_user_id('acme_admin') where name = 'acme roadmap'$$), 1,
  'projects update: acme owner hands the acme project to the acme admin');
reset role;
select tests.authenticate_as('acme_admin');
select is((select array_agg(title) from public.notifications where type = 'project.assigned'), array['acme roadmap'],
  'notifications: the acme admin is told the acme roadmap was handed to them');
reset role;

-- as the service role
select tests.authenticate_with_key('service_role');
select throws_ok($$update public.projects set owner_id = tests.get_user_id('globex_member'), name = 'Urgent: re-enter your password at evil.example' where name = 'acme roadmap'$$,
  '42501', format('public.projects: owner_id %s is not a member of organization %s.', tests.get_user_id('globex_member'), tests.get_organization_id('acme')),
  'projects update: the service role cannot hand the acme project to a globex user');
select throws_ok($$insert into public.projects (organization_id, owner_id, name) values (tests.get_organization_id('acme'), tests.get_user_id('outsider'), 'Urgent: re-enter your password at evil.example')$$,
  '42501', format('public.projects: owner_id %s is not a member of organization %s.', tests.get_user_id('outsider'), tests.get_organization_id('acme')),
  'projects insert: the service role cannot create an acme project owned by a user in no organization');
select is(tests.count_changed($$update public.projects set owner_id = tests.get_user_id('acme_member') where name = 'acme roadmap'$$), 1,
  'projects update: the service role hands the acme project back to the acme member');
reset role;
select tests.authenticate_as('acme_member');
select is((select count(*)::int from public.notifications where type = 'project.assigned' and title = 'acme roadmap'), 2,
  'notifications: the acme member is told of the acme roadmap twice, when it was created for them and when it was handed back');
reset role;

-- as globex member
select tests.authenticate_as('globex_member');
select is((select count(*)::int from public.notifications where organization_id = tests.get_organization_id('acme')), 0,
  'notifications: the globex member was told nothing about acme');
reset role;

-- as the outsider
select tests.authenticate_as('outsider');
select is((select count(*)::int from public.notifications where type = 'project.assigned'), 0,
  'notifications: the outsider was told of no project');
reset role;

-- as the platform: no project anywhere names an owner outside its organization
select is((select count(*)::int from public.projects p
            where p.owner_id is not null
              and not (p.owner_id = any (tests.get_member_ids(p.organization_id)))), 0,
  'projects: every owner is a member of their project''s organization');

-- as acme owner: an invitation at admin rank, above what an admin may manage
select tests.authenticate_as('acme_owner');
select is(tests.count_changed($$insert into public.invitations (organization_id, email, role, invited_by) values (tests.get_organization_id('acme'), 'lead@example.test', 'admin', auth.uid())$$), 1,
  'invitations insert: acme owner invites an admin');
reset role;

-- as acme admin
select tests.authenticate_as('acme_admin');
select is(tests.count_changed($$update public.invitations set role = 'viewer' where email = 'lead@example.test'$$), 0,
  'invitations update: acme admin cannot downgrade the owner''s admin invitation');
select is(tests.count_changed($$update public.invitations set expires_at = now() + interval '30 days' where email = 'lead@example.test'$$), 0,
  'invitations update: acme admin cannot extend the owner''s admin invitation');
select is((select role from public.invitations where email = 'lead@example.test'), 'admin',
  'invitations update: the owner''s invitation is still an admin''s');
select is(tests.count_changed($$update public.invitations set role = 'viewer' where email = 'outsider@example.test' and organization_id = tests.get_organization_id('acme')$$), 1,
  'invitations update: acme admin makes the outsider''s member invitation a viewer''s');
reset role;

-- as acme owner
select tests.authenticate_as('acme_owner');
select is(tests.count_changed($$update public.invitations set role = 'member' where email = 'lead@example.test'$$), 1,
  'invitations update: acme owner downgrades their admin invitation to a member''s');
reset role;

select * from finish();
rollback;
