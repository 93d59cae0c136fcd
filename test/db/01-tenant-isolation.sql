-- Tenant isolation: for every tenant table and every operation, a user sees and changes only
-- their own organizations' rows. Personas: acme's owner, admin, member and viewer look at
-- globex; a user in no organization; anon.
begin;
select plan(98);
select tests.create_two_organizations();
-- What globex holds before anyone from acme tries anything.
create temporary table globex_before as
  select t as table_name, tests.count_rows(t, 'globex') as row_count from tests.get_tenant_tables() t;

-- as acme's four personas: globex rows are invisible in every table
select tests.authenticate_as('acme_owner');
select is(tests.count_rows(t, 'globex'), 0, format('acme owner sees no globex rows in %s', t)) from tests.get_tenant_tables() t;
reset role;
select tests.authenticate_as('acme_admin');
select is(tests.count_rows(t, 'globex'), 0, format('acme admin sees no globex rows in %s', t)) from tests.get_tenant_tables() t;
-- the control: the same query finds the admin's own organization's rows, so "0" above is isolation, not emptiness
select cmp_ok(tests.count_rows(t, 'acme'), '>', 0, format('acme admin sees acme rows in %s', t)) from tests.get_tenant_tables() t;
reset role;
select tests.authenticate_as('acme_member');
select is(tests.count_rows(t, 'globex'), 0, format('acme member sees no globex rows in %s', t)) from tests.get_tenant_tables() t;
reset role;
select tests.authenticate_as('acme_viewer');
select is(tests.count_rows(t, 'globex'), 0, format('acme viewer sees no globex rows in %s', t)) from tests.get_tenant_tables() t;
reset role;

-- as a user in no organization: nothing but the invitations (and their notifications) addressed to them
select tests.authenticate_as('outsider');
select is(tests.count_rows(t, org), case when t in ('public.invitations'::regclass, 'public.notifications'::regclass) then 1 else 0 end,
          format('outsider sees only what is addressed to them of %s in %s', org, t))
  from tests.get_tenant_tables() t, unnest(array['acme', 'globex']) org;
reset role;

-- as anon: no table is readable at all
select tests.authenticate_as_anon();
select throws_ok(format('select count(*) from %s', t), '42501', format('permission denied for table %s', regexp_replace(t::text, '^.*[.]', '')),
                 format('anon cannot read %s', t))
  from tests.get_tenant_tables() t;
reset role;

-- as acme's owner, writing into globex: every insert fails
select tests.authenticate_as('acme_owner');
select throws_ok($$insert into public.organizations (name, slug, created_by) values ('Globex 2', 'globex-2', tests.get_user_id('globex_owner'))$$,
  '42501', 'new row violates row-level security policy for table "organizations"', 'acme owner cannot create an organization for a globex user');
select throws_ok($$insert into public.profiles (id, email) values (tests.get_user_id('globex_owner'), 'x@example.test')$$,
  '42501', 'new row violates row-level security policy for table "profiles"', 'acme owner cannot insert a profile for a globex user');
select throws_ok($$insert into public.organization_members (organization_id, user_id, role) values (tests.get_organization_id('globex'), tests.get_user_id('acme_owner'), 'owner')$$,
  '42501', 'permission denied for table organization_members', 'acme owner cannot add themselves to globex');
select throws_ok($$insert into public.invitations (organization_id, email, role, invited_by) values (tests.get_organization_id('globex'), 'spy@example.test', 'admin', tests.get_user_id('acme_owner'))$$,
  '42501', 'new row violates row-level security policy for table "invitations"', 'acme owner cannot invite into globex');
select throws_ok($$insert into public.audit_logs (organization_id, action, table_name) values (tests.get_organization_id('globex'), 'DELETE', 'projects')$$,
  '42501', 'permission denied for table audit_logs', 'acme owner cannot write globex audit logs');
select throws_ok($$insert into public.activity_feed (organization_id, activity_type) values (tests.get_organization_id('globex'), 'project.deleted')$$,
  '42501', 'permission denied for table activity_feed', 'acme owner cannot write globex activity');
select throws_ok($$insert into public.notifications (user_id, organization_id, type, title) values (tests.get_user_id('globex_owner'), tests.get_organization_id('globex'), 'phish', 'Click')$$,
  '42501', 'permission denied for table notifications', 'acme owner cannot notify globex users');
select throws_ok($$insert into public.projects (organization_id, owner_id, name) values (tests.get_organization_id('globex'), tests.get_user_id('acme_owner'), 'Trojan')$$,
  '42501', 'new row violates row-level security policy for table "projects"', 'acme owner cannot create globex projects');

-- every update and delete changes nothing
select is(tests.count_changed($$update public.organizations set name = 'Pwned' where slug = 'globex'$$), 0, 'acme owner updates no globex organization');
select is(tests.count_changed($$delete from public.organizations where slug = 'globex'$$), 0, 'acme owner deletes no globex organization');
select is(tests.count_changed($$update public.profiles set full_name = 'Pwned' where id = tests.get_user_id('globex_owner')$$), 0, 'acme owner updates no globex profile');
select throws_ok($$delete from public.profiles where id = tests.get_user_id('globex_owner')$$, '42501', 'permission denied for table profiles', 'acme owner cannot delete profiles');
select is(tests.count_changed($$update public.organization_members set role = 'viewer' where organization_id = tests.get_organization_id('globex')$$), 0, 'acme owner changes no globex role');
select is(tests.count_changed($$delete from public.organization_members where organization_id = tests.get_organization_id('globex')$$), 0, 'acme owner removes no globex member');
select is(tests.count_changed($$update public.invitations set role = 'admin' where organization_id = tests.get_organization_id('globex')$$), 0, 'acme owner updates no globex invitation');
select is(tests.count_changed($$delete from public.invitations where organization_id = tests.get_organization_id('globex')$$), 0, 'acme owner deletes no globex invitation');
select throws_ok($$update public.audit_logs set action = 'INSERT' where organization_id = tests.get_organization_id('globex')$$, '42501', 'permission denied for table audit_logs', 'acme owner cannot update audit logs');
select throws_ok($$delete from public.audit_logs where organization_id = tests.get_organization_id('globex')$$, '42501', 'permission denied for table audit_logs', 'acme owner cannot delete audit logs');
select throws_ok($$update public.activity_feed set description = 'x' where organization_id = tests.get_organization_id('globex')$$, '42501', 'permission denied for table activity_feed', 'acme owner cannot update activity');
select throws_ok($$delete from public.activity_feed where organization_id = tests.get_organization_id('globex')$$, '42501', 'permission denied for table activity_feed', 'acme owner cannot delete activity');
select is(tests.count_changed($$update public.notifications set read_at = now() where user_id = tests.get_user_id('globex_owner')$$), 0, 'acme owner marks no globex notification read');
select is(tests.count_changed($$delete from public.notifications where user_id = tests.get_user_id('globex_owner')$$), 0, 'acme owner deletes no globex notification');
select is(tests.count_changed($$update public.projects set name = 'Pwned' where organization_id = tests.get_organization_id('globex')$$), 0, 'acme owner updates no globex project');
select is(tests.count_changed($$delete from public.projects where organization_id = tests.get_organization_id('globex')$$), 0, 'acme owner deletes no globex project');
reset role;

-- as the platform: globex is exactly as it was
select is(tests.count_rows(b.table_name, 'globex'), b.row_count, format('globex still has all its rows in %s', b.table_name))
  from globex_before b;
select is((select name from public.projects where organization_id = tests.get_organization_id('globex')), 'globex roadmap', 'globex project is unchanged');
select is((select count(*)::int from public.organization_members where organization_id = tests.get_organization_id('globex') and role = 'owner'), 1, 'globex still has exactly one owner');

select * from finish();
rollback;
