-- Guard triggers hold for every role, including those that bypass row-level security or own
-- the tables: a tenant row never moves to another organization, an organization keeps its id
-- and creator, a membership never moves and never loses its last owner, and the audit trail
-- is append-only except for the retention job. Each refusal has its allowed counterpart, so a
-- guard that refused everything would fail too. Personas: the service role (edge functions,
-- jobs) and the platform (the tables' owner).
begin;
select plan(26);
select tests.create_two_organizations();
select tests.create_profile_table_rows();

-- as the service role
select tests.authenticate_with_key('service_role');
select throws_ok(
  format($$update public.%I set organization_id = tests.get_organization_id('globex') where organization_id = tests.get_organization_id('acme')$$, t),
  '42501', format('public.%s: organization_id cannot change (from %s to %s).', t, tests.get_organization_id('acme'), tests.get_organization_id('globex')),
  format('%s: the service role cannot move a row to globex', t))
  from unnest(array['activity_feed', 'invitations', 'notifications', 'projects', 'admin_notes', 'tasks', 'plans', 'documents']) t;
select cmp_ok(tests.count_changed(format($$update public.%I set created_at = created_at where organization_id = tests.get_organization_id('acme')$$, t)), '>', 0,
  format('%s: the service role updates rows that stay in their organization', t))
  from unnest(array['activity_feed', 'invitations', 'notifications', 'projects', 'admin_notes', 'tasks', 'plans', 'documents']) t;
select throws_ok($$update public.organizations set created_by = tests.get_user_id('acme_admin') where slug = 'acme'$$,
  '42501', 'An organization''s id and created_by cannot change.', 'organizations: the service role cannot rewrite who created acme');
select throws_ok($$update public.organizations set id = gen_random_uuid() where slug = 'acme'$$,
  '42501', 'An organization''s id and created_by cannot change.', 'organizations: the service role cannot change acme''s id');
select is(tests.count_changed($$update public.organizations set name = 'Acme Service' where slug = 'acme'$$), 1,
  'organizations: the service role renames acme');
select throws_ok($$update public.organization_members set organization_id = tests.get_organization_id('globex') where user_id = tests.get_user_id('acme_member')$$,
  '42501', 'A membership cannot move to another organization or user.', 'organization_members: the service role cannot move a membership');
select throws_ok($$delete from public.organization_members where user_id = tests.get_user_id('acme_owner')$$,
  '42501', format('Organization %s would be left without an owner.', tests.get_organization_id('acme')), 'organization_members: the service role cannot remove the last owner');
select is(tests.count_changed($$update public.organization_members set role = 'admin' where user_id = tests.get_user_id('acme_member')$$), 1,
  'organization_members: the service role changes a role');
reset role;

-- as the platform, the tables' owner
select throws_ok($$update public.audit_logs set action = 'INSERT'$$,
  '42501', 'The audit trail is append-only: UPDATE on public.audit_logs is not allowed.', 'audit_logs: the owner cannot update the trail');
select throws_ok($$delete from public.audit_logs$$,
  '42501', 'The audit trail is append-only: DELETE on public.audit_logs is not allowed.', 'audit_logs: the owner cannot delete from the trail');
select throws_ok($$truncate public.audit_logs$$,
  '42501', 'The audit trail is append-only: TRUNCATE on public.audit_logs is not allowed.', 'audit_logs: the owner cannot truncate the trail');
insert into public.audit_logs (organization_id, action, table_name, created_at)
values (tests.get_organization_id('acme'), 'DELETE', 'projects', now() - interval '30 days');
select is(ops.purge_audit_logs(7), 1, 'audit_logs: the retention job purges the row older than its retention');

select * from finish();
rollback;
