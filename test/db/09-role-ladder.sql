-- The role ladder has one SQL definition, orgstack.get_role_ladder(), and one TypeScript
-- definition, ROLE_LADDER (components/lib/roles.ts). Ranks and guards derive from the SQL one;
-- every policy, the core tables' and tenant tables', is planned from the TypeScript one. Adding
-- a role is one edit in each: this suite makes the SQL edit, adding a "billing" role above
-- admin, then runs tests.replan_core_policies_with_billing(), the policies the planner makes from
-- the TypeScript ladder with that one edit (test/db/pgtap-backend.ts), as `pulumi up` would. It
-- shows the core policies, the rank functions, the membership guards and the role guards of
-- organization_members and invitations pick billing up. Policies stay as fast as hand-written:
-- the roles are a constant inside the initPlan. Personas: the platform, acme's admin, billing
-- member and owner.
begin;
select plan(20);
select tests.create_two_organizations();

-- as the platform: the shipped ladder
select is(orgstack.get_role_ladder(), array['owner', 'admin', 'member', 'viewer'],
  'the ladder ranks owner > admin > member > viewer');
select is(array(select orgstack.get_role_rank(r) from unnest(array['owner', 'admin', 'member', 'viewer', 'guest', null]) r),
  array[4, 3, 2, 1, 0, 0], 'get_role_rank: owner 4, admin 3, member 2, viewer 1, an unknown role or none 0');

-- as acme admin: the plan of a policy that lists roles
select tests.authenticate_as('acme_admin');
select matches(tests.get_plan('select * from public.audit_logs'),
  $re$InitPlan(.|\n)*Index Cond: .*\.role = ANY \('\{owner,admin\}'::text\[\]\)$re$,
  'audit_logs: the admin-or-above filter is a constant in the initPlan''s index scan');
select doesnt_match(tests.get_plan('select * from public.audit_logs'), 'get_role',
  'audit_logs: the plan calls no ladder function');
reset role;

-- as the platform: the one SQL edit that adds a role
create or replace function orgstack.get_role_ladder()
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select array['owner', 'billing', 'admin', 'member', 'viewer']
$$;
select tests.replan_core_policies_with_billing();
insert into auth.users (email) values ('acme_billing@example.test');
select tests.add_membership('acme_billing', 'acme', 'billing');
select is(array(select orgstack.get_role_rank(r) from unnest(array['owner', 'billing', 'admin', 'member', 'viewer']) r),
  array[5, 4, 3, 2, 1], 'get_role_rank: billing ranks between owner and admin');
select throws_ok($$insert into public.invitations (organization_id, email, role) values (tests.get_organization_id('acme'), 'guest@example.test', 'guest')$$,
  '23514', 'public.invitations.role cannot be ''guest''; use billing, admin, member or viewer.',
  'invitations guard: the roles it names include billing');

-- as acme admin: billing outranks them
select tests.authenticate_as('acme_admin');
select throws_ok($$update public.organization_members set role = 'viewer' where user_id = tests.get_user_id('acme_billing')$$,
  '42501', 'Only an owner or admin of higher rank than the member (billing) may change this membership.',
  'guard: an admin cannot change a billing member''s role');
select throws_ok($$select public.change_member_role(tests.get_organization_id('acme'), tests.get_user_id('acme_member'), 'billing')$$,
  '42501', 'Only an owner or admin of higher rank than member and billing may make this change.',
  'change_member_role: an admin cannot give the billing role');
select throws_ok($$select public.remove_member(tests.get_organization_id('acme'), tests.get_user_id('acme_billing'))$$,
  '42501', 'Only an owner or admin of higher rank than billing may remove this member.',
  'remove_member: an admin cannot remove a billing member');
reset role;

-- as acme billing: the admin-or-above policies and rank checks admit them
select tests.authenticate_as('acme_billing');
select matches(tests.get_plan('select * from public.audit_logs'), $re$Index Cond: .*\.role = ANY \('\{owner,billing,admin\}'::text\[\]\)$re$,
  'audit_logs: the planned filter lists billing');
select cmp_ok(tests.count_rows('public.audit_logs', 'acme'), '>', 0, 'audit_logs: billing reads acme''s audit logs');
select is(tests.count_rows('public.invitations', 'acme'), 1, 'invitations: billing reads acme''s invitations');
select is(tests.count_changed($$update public.organizations set name = 'Acme Billing'$$), 1, 'organizations: billing renames acme');
select is(tests.count_changed($$delete from public.organizations$$), 0, 'organizations: billing deletes nothing, owners only');
select ok(orgstack.has_role(tests.get_organization_id('acme'), 'admin') and not orgstack.has_role(tests.get_organization_id('acme'), 'owner'),
  'has_role: billing holds admin, not owner');
select lives_ok($$select public.change_member_role(tests.get_organization_id('acme'), tests.get_user_id('acme_admin'), 'member')$$,
  'change_member_role: billing outranks an admin');
select is((select m.role from public.organization_members m where m.user_id = tests.get_user_id('acme_admin')), 'member',
  'change_member_role: the admin is now a member');
reset role;

-- as acme owner
select tests.authenticate_as('acme_owner');
select lives_ok($$select public.change_member_role(tests.get_organization_id('acme'), tests.get_user_id('acme_viewer'), 'billing')$$,
  'change_member_role: an owner gives the billing role');
select is(tests.count_changed($$insert into public.invitations (organization_id, email, role, invited_by) values (tests.get_organization_id('acme'), 'cfo@example.test', 'billing', auth.uid())$$), 1,
  'invitations insert: an owner invites a billing member');
select throws_ok($$select public.change_member_role(tests.get_organization_id('acme'), tests.get_user_id('acme_viewer'), 'owner')$$,
  '22023', 'Role ''owner'' cannot be given with change_member_role; use billing, admin, member or viewer.',
  'change_member_role names every role it gives, billing included');
reset role;

select * from finish();
rollback;
