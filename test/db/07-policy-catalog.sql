-- The exact row-level security of schema public, typed out here and never read from sql/ or
-- components/: which tables have RLS on, and per table which policies exist, with their
-- command and roles. A policy that is dropped, renamed, moved to another command or opened to
-- another role fails here even where deny-by-default hides the change from the behaviour
-- suites (every "nobody can ..." policy, and the custom profile's "update: false"). When a
-- policy changes on purpose, change this list in the same commit. Persona: the platform,
-- reading the catalog.
begin;
select plan(123);

create temporary table expected_policies (table_name name, command text, policy_name name, roles name[]);
insert into expected_policies (table_name, command, policy_name, roles) values
  ('organizations', 'select', 'members can select organizations', '{authenticated}'),
  ('organizations', 'insert', 'creators can insert organizations', '{authenticated}'),
  ('organizations', 'update', 'admins can update organizations', '{authenticated}'),
  ('organizations', 'delete', 'owners can delete organizations', '{authenticated}'),
  ('organization_members', 'select', 'members can select organization_members', '{authenticated}'),
  ('organization_members', 'insert', 'nobody can insert organization_members', '{authenticated}'),
  ('organization_members', 'update', 'admins can update organization_members', '{authenticated}'),
  ('organization_members', 'delete', 'admins and the member can delete organization_members', '{authenticated}'),
  ('profiles', 'select', 'colleagues can select profiles', '{authenticated}'),
  ('profiles', 'insert', 'profile owners can insert profiles', '{authenticated}'),
  ('profiles', 'update', 'profile owners can update profiles', '{authenticated}'),
  ('profiles', 'delete', 'nobody can delete profiles', '{authenticated}'),
  ('invitations', 'select', 'admins and the invitee can select invitations', '{authenticated}'),
  ('invitations', 'insert', 'admins can insert invitations', '{authenticated}'),
  ('invitations', 'update', 'admins can update invitations', '{authenticated}'),
  ('invitations', 'delete', 'admins and the invitee can delete invitations', '{authenticated}'),
  ('notifications', 'select', 'recipients can select notifications', '{authenticated}'),
  ('notifications', 'insert', 'nobody can insert notifications', '{authenticated}'),
  ('notifications', 'update', 'recipients can update notifications', '{authenticated}'),
  ('notifications', 'delete', 'recipients can delete notifications', '{authenticated}'),
  ('activity_feed', 'select', 'members can select activity_feed', '{authenticated}'),
  ('activity_feed', 'insert', 'nobody can insert activity_feed', '{authenticated}'),
  ('activity_feed', 'update', 'nobody can update activity_feed', '{authenticated}'),
  ('activity_feed', 'delete', 'nobody can delete activity_feed', '{authenticated}'),
  ('audit_logs', 'select', 'admins can select audit_logs', '{authenticated}'),
  ('audit_logs', 'insert', 'nobody can insert audit_logs', '{authenticated}'),
  ('audit_logs', 'update', 'nobody can update audit_logs', '{authenticated}'),
  ('audit_logs', 'delete', 'nobody can delete audit_logs', '{authenticated}'),
  -- TenantTable 'projects' (tables.ts), access owner-rows
  ('projects', 'select', 'members can select projects', '{authenticated}'),
  ('projects', 'insert', 'members can insert projects', '{authenticated}'),
  ('projects', 'update', 'owners and admins can update projects', '{authenticated}'),
  ('projects', 'delete', 'owners and admins can delete projects', '{authenticated}'),
  -- the profile tables test/db/pgtap-backend.ts declares, one per access profile
  ('admin_notes', 'select', 'members can select admin_notes', '{authenticated}'),
  ('admin_notes', 'insert', 'admins can insert admin_notes', '{authenticated}'),
  ('admin_notes', 'update', 'admins can update admin_notes', '{authenticated}'),
  ('admin_notes', 'delete', 'admins can delete admin_notes', '{authenticated}'),
  ('tasks', 'select', 'members can select tasks', '{authenticated}'),
  ('tasks', 'insert', 'members can insert tasks', '{authenticated}'),
  ('tasks', 'update', 'members can update tasks', '{authenticated}'),
  ('tasks', 'delete', 'members can delete tasks', '{authenticated}'),
  ('plans', 'select', 'members can select plans', '{authenticated}'),
  ('plans', 'insert', 'nobody can insert plans', '{authenticated}'),
  ('plans', 'update', 'nobody can update plans', '{authenticated}'),
  ('plans', 'delete', 'nobody can delete plans', '{authenticated}'),
  ('documents', 'select', 'authenticated can select documents', '{authenticated}'),
  ('documents', 'insert', 'authenticated can insert documents', '{authenticated}'),
  ('documents', 'update', 'authenticated can update documents', '{authenticated}'),
  ('documents', 'delete', 'authenticated can delete documents', '{authenticated}');

-- as the platform: every table has exactly its policies
select policies_are('public', table_name, array_agg(policy_name), format('%s has exactly its %s policies', table_name, count(*)))
  from expected_policies group by table_name;
select policy_cmd_is('public', table_name, policy_name, command, format('%s: "%s" is for %s', table_name, policy_name, command))
  from expected_policies;
select policy_roles_are('public', table_name, policy_name, roles, format('%s: "%s" applies to %s', table_name, policy_name, array_to_string(roles, ', ')))
  from expected_policies;
select is(array(select format('%s: %s', tablename, policyname) from pg_policies where schemaname = 'public' and permissive <> 'PERMISSIVE'),
  '{}'::text[], 'no policy in public is restrictive');

-- as the platform: row-level security is on for every table, and forced on none
select ok((select c.relrowsecurity from pg_class c where c.oid = format('public.%I', t.table_name)::regclass),
  format('%s has row-level security enabled', t.table_name))
  from (select distinct table_name from expected_policies) t;
select is(array(select c.relname from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity),
  '{}'::name[], 'every table in public has row-level security enabled');
-- Forcing would subject the owner too; the owner is the platform (migrations, the retention
-- job, security definer functions), which must see every row.
select is(array(select c.relname from pg_class c where c.relnamespace = 'public'::regnamespace and c.relforcerowsecurity),
  '{}'::name[], 'no table in public forces row-level security');

select * from finish();
rollback;
