-- Privilege escalation: nobody raises their own rights, outranks their rank, moves rows
-- between organizations, touches privileged columns or removes the last owner. Personas:
-- acme's member, admin and owner, an invited outsider, globex's owner and anon.
begin;
select plan(47);
select tests.create_two_organizations();

-- as acme member
select tests.authenticate_as('acme_member');
select is(tests.count_changed($$update public.organization_members set role = 'owner' where user_id = tests.get_user_id('acme_member')$$), 0,
  'acme member cannot update their own membership');
select throws_ok($$select public.change_member_role(tests.get_organization_id('acme'), tests.get_user_id('acme_member'), 'admin')$$,
  '42501', 'You cannot change your own role.', 'acme member cannot change their own role through change_member_role');
select throws_ok($$select public.change_member_role(tests.get_organization_id('acme'), tests.get_user_id('acme_viewer'), 'admin')$$,
  '42501', 'Only an owner or admin of higher rank than viewer and admin may make this change.', 'acme member cannot promote the viewer');
select throws_ok($$select public.remove_member(tests.get_organization_id('acme'), tests.get_user_id('acme_viewer'))$$,
  '42501', 'Only an owner or admin of higher rank than viewer may remove this member.', 'acme member cannot remove the viewer');
select throws_ok($$insert into public.invitations (organization_id, email, role, invited_by) values (tests.get_organization_id('acme'), 'friend@example.test', 'viewer', tests.get_user_id('acme_member'))$$,
  '42501', 'new row violates row-level security policy for table "invitations"', 'acme member cannot invite');
select throws_ok($$select public.accept_invitation((select id from public.invitations limit 1))$$,
  '42501', 'This invitation does not exist or was sent to another address.', 'acme member cannot accept an invitation they cannot see');
select throws_ok($$update public.profiles set email = 'owner@example.test' where id = tests.get_user_id('acme_member')$$,
  '42501', 'permission denied for table profiles', 'acme member cannot change their profile email');
select throws_ok($$update public.profiles set id = gen_random_uuid() where id = tests.get_user_id('acme_member')$$,
  '42501', 'permission denied for table profiles', 'acme member cannot change their profile id');
select is(tests.count_changed($$update public.profiles set full_name = 'Ada' where id = tests.get_user_id('acme_member')$$), 1,
  'acme member can update their own full name');
select throws_ok($$update public.organization_members set organization_id = tests.get_organization_id('globex') where user_id = tests.get_user_id('acme_member')$$,
  '42501', 'permission denied for table organization_members', 'acme member cannot move their membership');
select throws_ok($$update public.projects set organization_id = tests.get_organization_id('globex') where owner_id = tests.get_user_id('acme_member')$$,
  '42501', format('public.projects: organization_id cannot change (from %s to %s).', tests.get_organization_id('acme'), tests.get_organization_id('globex')),
  'acme member cannot move their project to globex');
select is((select count(*)::int from public.audit_logs), 0, 'acme member reads no audit logs');
select is((select count(*)::int from public.invitations), 0, 'acme member reads no invitations');
select is((select array_agg(distinct user_id) from public.notifications), array[tests.get_user_id('acme_member')], 'acme member reads only their own notifications');
select throws_ok($$update public.notifications set title = 'Edited' where user_id = tests.get_user_id('acme_member')$$,
  '42501', 'permission denied for table notifications', 'acme member cannot edit a notification');
select is(tests.count_changed($$update public.notifications set read_at = now() where type = 'welcome'$$), 1,
  'acme member can mark their notification read');
reset role;

-- as acme admin
select tests.authenticate_as('acme_admin');
select throws_ok($$update public.organization_members set role = 'owner' where user_id = tests.get_user_id('acme_admin')$$,
  '42501', 'You cannot change your own role.', 'acme admin cannot raise their own role');
select throws_ok($$update public.organization_members set role = 'owner' where user_id = tests.get_user_id('acme_member')$$,
  '42501', 'Only an owner or admin of higher rank than the member (member) may change this membership.', 'acme admin cannot make a member owner');
select throws_ok($$select public.change_member_role(tests.get_organization_id('acme'), tests.get_user_id('acme_owner'), 'member')$$,
  '42501', 'Only an owner or admin of higher rank than owner and member may make this change.', 'acme admin cannot demote the owner');
select throws_ok($$select public.change_member_role(tests.get_organization_id('acme'), tests.get_user_id('acme_member'), 'admin')$$,
  '42501', 'Only an owner or admin of higher rank than member and admin may make this change.', 'acme admin cannot make a peer admin');
select throws_ok($$select public.change_member_role(tests.get_organization_id('acme'), tests.get_user_id('acme_member'), 'owner')$$,
  '22023', 'Role ''owner'' cannot be given with change_member_role; use admin, member or viewer.', 'change_member_role never makes owners');
select lives_ok($$select public.change_member_role(tests.get_organization_id('acme'), tests.get_user_id('acme_viewer'), 'member')$$,
  'acme admin can promote the viewer to member');
select is((select role from public.organization_members where user_id = tests.get_user_id('acme_viewer')), 'member', 'the viewer is now a member');
select throws_ok($$select public.transfer_ownership(tests.get_organization_id('acme'), tests.get_user_id('acme_admin'))$$,
  '42501', 'Only an owner can transfer ownership.', 'acme admin cannot take ownership');
select throws_ok($$delete from public.organization_members where user_id = tests.get_user_id('acme_owner')$$,
  '42501', format('Organization %s would be left without an owner.', tests.get_organization_id('acme')), 'acme admin cannot remove the last owner');
select throws_ok($$insert into public.invitations (organization_id, email, role, invited_by) values (tests.get_organization_id('acme'), 'peer@example.test', 'admin', tests.get_user_id('acme_admin'))$$,
  '42501', 'new row violates row-level security policy for table "invitations"', 'acme admin cannot invite an admin');
select lives_ok($$insert into public.invitations (organization_id, email, role, invited_by) values (tests.get_organization_id('acme'), 'new@example.test', 'member', tests.get_user_id('acme_admin'))$$,
  'acme admin can invite a member');
select throws_ok($$update public.organizations set created_by = tests.get_user_id('acme_admin') where slug = 'acme'$$,
  '42501', 'permission denied for table organizations', 'acme admin cannot rewrite who created the organization');
select cmp_ok((select count(*)::int from public.audit_logs), '>', 0, 'acme admin reads their organization''s audit log');
select is((select count(*)::int from public.audit_logs where organization_id is distinct from tests.get_organization_id('acme')), 0,
  'acme admin reads no other organization''s audit log');
select is((select count(*)::int from public.invitations), 2, 'acme admin reads their organization''s invitations');
reset role;

-- as acme owner
select tests.authenticate_as('acme_owner');
select throws_ok($$update public.organization_members set role = 'admin' where user_id = tests.get_user_id('acme_owner')$$,
  '42501', format('Organization %s would be left without an owner.', tests.get_organization_id('acme')), 'acme owner cannot demote themselves as last owner');
select throws_ok($$select public.remove_member(tests.get_organization_id('acme'), tests.get_user_id('acme_owner'))$$,
  '42501', format('Organization %s would be left without an owner.', tests.get_organization_id('acme')), 'acme owner cannot leave as last owner');
select lives_ok($$select public.change_member_role(tests.get_organization_id('acme'), tests.get_user_id('acme_admin'), 'member')$$,
  'acme owner can demote the admin');
select lives_ok($$select public.transfer_ownership(tests.get_organization_id('acme'), tests.get_user_id('acme_member'))$$,
  'acme owner can hand ownership to a member');
select results_eq($$select role from public.organization_members where user_id in (tests.get_user_id('acme_owner'), tests.get_user_id('acme_member')) order by role$$,
  $$values ('admin'), ('owner')$$, 'ownership moved: the old owner is admin, the member is owner');
select throws_ok($$select public.change_member_role(tests.get_organization_id('acme'), tests.get_user_id('acme_member'), 'viewer')$$,
  '42501', 'Only an owner or admin of higher rank than owner and viewer may make this change.', 'the former owner cannot demote the new owner');
reset role;

-- as the invited outsider
select tests.authenticate_as('outsider');
select is((select count(*)::int from public.invitations), 2, 'the outsider reads the invitations addressed to them');
select throws_ok($$select public.change_member_role(tests.get_organization_id('acme'), tests.get_user_id('acme_viewer'), 'viewer')$$,
  '42501', 'No such member in an organization you belong to.', 'the outsider cannot change roles');
select is(public.accept_invitation((select id from public.invitations where organization_id = tests.get_organization_id('acme'))),
  tests.get_organization_id('acme'), 'the outsider accepts the acme invitation');
select is((select role from public.organization_members where user_id = tests.get_user_id('outsider')), 'member', 'the outsider joined acme with the invited role');
select throws_ok($$select public.accept_invitation((select id from public.invitations where organization_id = tests.get_organization_id('acme')))$$,
  '42501', 'This invitation was already accepted.', 'an invitation cannot be accepted twice');
reset role;

-- as globex owner
select tests.authenticate_as('globex_owner');
select throws_ok($$select public.remove_member(tests.get_organization_id('acme'), tests.get_user_id('acme_viewer'))$$,
  '42501', 'No such member in an organization you belong to.', 'globex owner cannot remove acme members');
select throws_ok($$select public.transfer_ownership(tests.get_organization_id('acme'), tests.get_user_id('globex_owner'))$$,
  '42501', 'Only an owner can transfer ownership.', 'globex owner cannot take over acme');
reset role;

-- as anon
select tests.authenticate_as_anon();
select throws_ok($$select public.change_member_role(tests.get_organization_id('acme'), tests.get_user_id('acme_viewer'), 'admin')$$,
  '42501', 'permission denied for function change_member_role', 'anon cannot call change_member_role');
select throws_ok($$select public.accept_invitation(gen_random_uuid())$$,
  '42501', 'permission denied for function accept_invitation', 'anon cannot call accept_invitation');
reset role;

-- as the platform: the escalation attempts left acme with exactly one owner
select is((select count(*)::int from public.organization_members where organization_id = tests.get_organization_id('acme') and role = 'owner'), 1,
  'acme has exactly one owner');

select * from finish();
rollback;
