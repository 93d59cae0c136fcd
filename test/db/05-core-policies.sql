-- Every policy on the core tables, proven both ways: the persona the policy names can run the
-- command and the row really is selected, inserted, updated or deleted; a persona it does not
-- name changes nothing. Deny-by-default gives the denials for free, so the positive half is
-- what notices a missing policy. The "nobody can ..." policies have no positive half: 01 shows
-- every API write they cover is refused, and 07-policy-catalog.sql pins that they exist.
-- Personas: acme's viewer, member, admin and owner; the invited outsider; a newcomer without
-- a profile.
begin;
select plan(53);
select tests.create_two_organizations();

-- as acme viewer
select tests.authenticate_as('acme_viewer');
select is(tests.count_rows('public.organizations', 'acme'), 1, 'organizations select: acme viewer sees acme');
select is(tests.count_rows('public.organization_members', 'acme'), 4, 'organization_members select: acme viewer sees acme''s four members');
select is(tests.count_rows('public.profiles', 'acme'), 4, 'profiles select: acme viewer sees the profiles of acme''s four members');
select cmp_ok(tests.count_rows('public.activity_feed', 'acme'), '>', 0, 'activity_feed select: acme viewer sees acme''s activity');
select is(tests.count_rows('public.audit_logs', 'acme'), 0, 'audit_logs select: acme viewer sees no audit log (admins only)');
select is(tests.count_rows('public.invitations', 'acme'), 0, 'invitations select: acme viewer sees no invitation (admins only)');
select is(tests.count_changed($$update public.profiles set full_name = 'Vera Viewer' where id = tests.get_user_id('acme_viewer')$$), 1,
  'profiles update: acme viewer updates their own profile');
select is((select full_name from public.profiles where id = tests.get_user_id('acme_viewer')), 'Vera Viewer',
  'profiles update: the viewer''s full name is the new one');
select is(tests.count_changed($$update public.profiles set full_name = 'Pwned' where id = tests.get_user_id('acme_member')$$), 0,
  'profiles update: acme viewer updates no colleague''s profile');
select is(tests.count_changed($$update public.organizations set name = 'Viewer Co' where slug = 'acme'$$), 0,
  'organizations update: acme viewer renames nothing');
select is(tests.count_changed($$delete from public.organization_members where user_id = tests.get_user_id('acme_member')$$), 0,
  'organization_members delete: acme viewer removes nobody else');
reset role;

-- as acme member
select tests.authenticate_as('acme_member');
select is((select count(*)::int from public.notifications where type = 'welcome'), 1, 'notifications select: acme member sees their own welcome notification');
select is(tests.count_changed($$update public.notifications set read_at = now() where user_id = tests.get_user_id('acme_viewer')$$), 0,
  'notifications update: acme member marks nobody else''s notification read');
select is(tests.count_changed($$update public.notifications set read_at = now() where type = 'welcome'$$), 1,
  'notifications update: acme member marks their own notification read');
select ok((select read_at is not null from public.notifications where type = 'welcome'), 'notifications update: the member''s notification is read');
select is(tests.count_changed($$delete from public.notifications where user_id = tests.get_user_id('acme_viewer')$$), 0,
  'notifications delete: acme member deletes nobody else''s notification');
select is(tests.count_changed($$delete from public.notifications where type = 'welcome'$$), 1, 'notifications delete: acme member deletes their own notification');
select is((select count(*)::int from public.notifications where type = 'welcome'), 0, 'notifications delete: the member''s welcome notification is gone');
select is(tests.count_changed($$update public.organization_members set role = 'member' where user_id = tests.get_user_id('acme_viewer')$$), 0,
  'organization_members update: acme member changes no role');
select is(tests.count_changed($$update public.invitations set role = 'viewer'$$), 0, 'invitations update: acme member changes no invitation');
select is(tests.count_changed($$delete from public.invitations$$), 0, 'invitations delete: acme member deletes no invitation');
select is(tests.count_changed($$update public.organizations set name = 'Member Co' where slug = 'acme'$$), 0,
  'organizations update: acme member renames nothing');
select is(tests.count_changed($$delete from public.organization_members where user_id = tests.get_user_id('acme_member')$$), 1,
  'organization_members delete: acme member leaves acme');
select is(tests.count_rows('public.organizations', 'acme'), 0, 'organization_members delete: the member who left no longer sees acme');
reset role;

-- as acme admin
select tests.authenticate_as('acme_admin');
select cmp_ok(tests.count_rows('public.audit_logs', 'acme'), '>', 0, 'audit_logs select: acme admin reads acme''s audit log');
select is(tests.count_rows('public.invitations', 'acme'), 1, 'invitations select: acme admin sees acme''s invitation');
select is(tests.count_changed($$insert into public.invitations (organization_id, email, role, invited_by) values (tests.get_organization_id('acme'), 'new@example.test', 'viewer', auth.uid())$$), 1,
  'invitations insert: acme admin invites a viewer');
select is(tests.count_rows('public.invitations', 'acme'), 2, 'invitations insert: acme now has two invitations');
select throws_ok($$insert into public.invitations (organization_id, email, role, invited_by) values (tests.get_organization_id('acme'), 'forged@example.test', 'viewer', tests.get_user_id('acme_owner'))$$,
  '42501', 'new row violates row-level security policy for table "invitations"', 'invitations insert: acme admin cannot invite in the owner''s name');
select is(tests.count_changed($$update public.invitations set role = 'viewer' where email = 'outsider@example.test'$$), 1,
  'invitations update: acme admin makes the outsider''s invitation a viewer''s');
select is((select role from public.invitations where email = 'outsider@example.test'), 'viewer', 'invitations update: the invitation''s role is viewer');
select throws_ok($$update public.invitations set role = 'admin' where email = 'outsider@example.test'$$,
  '42501', 'new row violates row-level security policy for table "invitations"', 'invitations update: acme admin cannot raise an invitation to their own rank');
select is(tests.count_changed($$delete from public.invitations where email = 'new@example.test'$$), 1, 'invitations delete: acme admin withdraws an invitation');
select is(tests.count_rows('public.invitations', 'acme'), 1, 'invitations delete: acme has one invitation again');
select is(tests.count_changed($$update public.organizations set name = 'Acme Corporation' where slug = 'acme'$$), 1,
  'organizations update: acme admin renames acme');
select is((select name from public.organizations where slug = 'acme'), 'Acme Corporation', 'organizations update: acme has its new name');
select is(tests.count_changed($$delete from public.organizations where slug = 'acme'$$), 0, 'organizations delete: acme admin deletes nothing (owners only)');
select is(tests.count_changed($$update public.organization_members set role = 'member' where user_id = tests.get_user_id('acme_viewer')$$), 1,
  'organization_members update: acme admin makes the viewer a member');
select is((select role from public.organization_members where user_id = tests.get_user_id('acme_viewer')), 'member',
  'organization_members update: the former viewer is a member');
select is(tests.count_changed($$delete from public.organization_members where user_id = tests.get_user_id('acme_viewer')$$), 1,
  'organization_members delete: acme admin removes the former viewer');
select is(tests.count_rows('public.organization_members', 'acme'), 2, 'organization_members delete: acme has its owner and admin left');
reset role;

-- as the invited outsider
select tests.authenticate_as('outsider');
select is(tests.count_rows('public.invitations', 'acme'), 1, 'invitations select: the outsider sees the acme invitation addressed to them');
select is(tests.count_changed($$delete from public.invitations where organization_id = tests.get_organization_id('globex')$$), 1,
  'invitations delete: the outsider declines the globex invitation');
select is(tests.count_rows('public.invitations', 'globex'), 0, 'invitations delete: the globex invitation is gone');
select throws_ok($$insert into public.organizations (name, slug, created_by) values ('Forged', 'forged', tests.get_user_id('acme_owner'))$$,
  '42501', 'new row violates row-level security policy for table "organizations"', 'organizations insert: the outsider cannot create one in another''s name');
select lives_ok($$insert into public.organizations (name, slug, created_by) values ('Initech', 'initech', auth.uid())$$,
  'organizations insert: the outsider creates initech');
select is((select role from public.organization_members where organization_id = tests.get_organization_id('initech')), 'owner',
  'organizations insert: the outsider owns initech');
reset role;

-- as a newcomer whose profile is missing
select tests.create_user_without_profile('newcomer');
select tests.authenticate_as('newcomer');
select throws_ok($$insert into public.profiles (id, email) values (tests.get_user_id('outsider'), 'newcomer@example.test')$$,
  '42501', 'new row violates row-level security policy for table "profiles"', 'profiles insert: the newcomer cannot insert someone else''s profile');
select is(tests.count_changed($$insert into public.profiles (id, email) values (auth.uid(), 'newcomer@example.test')$$), 1,
  'profiles insert: the newcomer inserts their own profile');
select is((select email from public.profiles), 'newcomer@example.test', 'profiles insert: the newcomer sees their profile');
reset role;

-- as acme owner
select tests.authenticate_as('acme_owner');
select is(tests.count_changed($$delete from public.organizations where slug = 'acme'$$), 1, 'organizations delete: acme owner deletes acme');
reset role;

-- as the platform: acme is gone with its members, and globex is untouched
select is((select count(*)::int from public.organization_members where organization_id not in (select id from public.organizations)), 0,
  'organizations delete: acme''s memberships went with it');
select is((select array_agg(slug order by slug) from public.organizations), array['globex', 'initech'], 'organizations delete: globex and initech remain');

select * from finish();
rollback;
