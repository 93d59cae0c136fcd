-- No reference crosses organizations: a row of a tenant table may point, through a foreign key,
-- only at a row of its own organization (orgstack.trigger_guard_references, declared by every
-- TenantTable). Fixtures (test/support/tenant-references.sql): tasks.project_id references
-- projects, tasks.document_id references documents, both single-column keys. Every refusal has
-- its allowed counterpart, and the refusal is the same whether the row is another
-- organization's or does not exist, so it reveals nothing. Personas: acme's member, the service
-- role, the platform (the tables' owner), and the platform reading the catalog.
begin;
select plan(20);
select tests.create_two_organizations();
select tests.create_profile_table_rows();

-- as acme member
select tests.authenticate_as('acme_member');
select lives_ok($$insert into public.tasks (organization_id, body, project_id) values (tests.get_organization_id('acme'), 'on acme', tests.get_project_id('acme'))$$,
  'a member creates a task on their organization''s project');
select throws_ok($$insert into public.tasks (organization_id, body, project_id) values (tests.get_organization_id('acme'), 'on globex', tests.get_project_id('globex'))$$,
  '23503', 'public.tasks.project_id: the referenced row of public.projects does not exist or belongs to another organization.',
  'a member cannot create a task on globex''s project');
select throws_ok($$insert into public.tasks (organization_id, body, project_id) values (tests.get_organization_id('acme'), 'on nothing', 'b3f6c0de-0000-4000-8000-000000000000')$$,
  '23503', 'public.tasks.project_id: the referenced row of public.projects does not exist or belongs to another organization.',
  'a task on a project that does not exist gets that same message');
select is(tests.get_error($$insert into public.tasks (organization_id, body, project_id) values (tests.get_organization_id('acme'), 'x', tests.get_project_id('globex'))$$),
  '23503: public.tasks.project_id: the referenced row of public.projects does not exist or belongs to another organization. (hint: A row may reference only rows of its own organization: pick a row of the same organization.)',
  'the refusal for globex''s project, in full with its hint');
select is(tests.get_error($$insert into public.tasks (organization_id, body, project_id) values (tests.get_organization_id('acme'), 'x', 'b3f6c0de-0000-4000-8000-000000000000')$$),
  '23503: public.tasks.project_id: the referenced row of public.projects does not exist or belongs to another organization. (hint: A row may reference only rows of its own organization: pick a row of the same organization.)',
  'the refusal for a missing project is identical, hint included: no oracle');
select throws_ok($$update public.tasks set project_id = tests.get_project_id('globex') where body = 'on acme'$$,
  '23503', 'public.tasks.project_id: the referenced row of public.projects does not exist or belongs to another organization.',
  'a member cannot move a task''s reference to globex''s project');
select is(tests.count_changed($$update public.tasks set project_id = tests.get_project_id('acme') where body = 'acme task'$$), 1,
  'a member moves a task''s reference to their organization''s project');
select lives_ok($$insert into public.tasks (organization_id, body, document_id) values (tests.get_organization_id('acme'), 'archived', tests.get_archived_document_id('acme'))$$,
  'a member references an acme document they cannot read (archived): the check is by organization, not by what RLS shows');
select throws_ok($$insert into public.tasks (organization_id, body, document_id) values (tests.get_organization_id('acme'), 'x', tests.get_archived_document_id('globex'))$$,
  '23503', 'public.tasks.document_id: the referenced row of public.documents does not exist or belongs to another organization.',
  'a member cannot reference globex''s document either (every key is checked, not one)');
reset role;

-- as the service role (edge functions, jobs): it bypasses RLS, a cross-organization reference is still refused
select tests.authenticate_with_key('service_role');
select lives_ok($$insert into public.tasks (organization_id, body, project_id) values (tests.get_organization_id('globex'), 'service', tests.get_project_id('globex'))$$,
  'the service role creates a globex task on globex''s project');
select throws_ok($$insert into public.tasks (organization_id, body, project_id) values (tests.get_organization_id('globex'), 'x', tests.get_project_id('acme'))$$,
  '23503', 'public.tasks.project_id: the referenced row of public.projects does not exist or belongs to another organization.',
  'the service role cannot create a globex task on acme''s project');
select throws_ok($$update public.tasks set project_id = tests.get_project_id('acme') where body = 'service'$$,
  '23503', 'public.tasks.project_id: the referenced row of public.projects does not exist or belongs to another organization.',
  'the service role cannot move a globex task''s reference to acme''s project');
reset role;

-- as the platform, the tables' owner
select throws_ok($$update public.tasks set project_id = tests.get_project_id('globex') where body = 'on acme'$$,
  '23503', 'public.tasks.project_id: the referenced row of public.projects does not exist or belongs to another organization.',
  'the tables'' owner cannot point an acme task at globex''s project');
select is(tests.count_changed($$update public.tasks set project_id = null where body = 'on acme'$$), 1,
  'the tables'' owner clears a reference (null references nothing)');

-- the catalog: every tenant table carries the guard, and no reference between tenant tables escapes it
select set_eq(
  $$select c.relname::text from pg_catalog.pg_trigger t join pg_catalog.pg_class c on c.oid = t.tgrelid
     where t.tgfoid = 'orgstack.trigger_guard_references()'::regprocedure and not t.tgisinternal$$,
  array['projects', 'admin_notes', 'tasks', 'plans', 'documents'],
  'each TenantTable (projects, admin_notes, tasks, plans, documents) has the reference guard');
select is(pg_catalog.pg_get_triggerdef(t.oid),
  'CREATE TRIGGER tasks_guard_references BEFORE INSERT OR UPDATE ON public.tasks FOR EACH ROW EXECUTE FUNCTION orgstack.trigger_guard_references()',
  'the guard fires before every insert and update of a row')
  from pg_catalog.pg_trigger t where t.tgname = 'tasks_guard_references';
select is_empty(
  $$select c.conrelid::regclass::text || ' -> ' || c.confrelid::regclass::text
      from pg_catalog.pg_constraint c
     where c.contype = 'f'
       and exists (select 1 from pg_catalog.pg_attribute a where a.attrelid = c.conrelid and a.attname = 'organization_id' and not a.attisdropped)
       and exists (select 1 from pg_catalog.pg_attribute a where a.attrelid = c.confrelid and a.attname = 'organization_id' and not a.attisdropped)
       and not exists (select 1 from pg_catalog.pg_trigger t where t.tgrelid = c.conrelid
                         and t.tgfoid = 'orgstack.trigger_guard_references()'::regprocedure)$$,
  'no foreign key between two tables with organization_id (core tables included) lacks the guard');

-- the keys the guard reads from the catalog (as the platform)
select results_eq(
  $$select name, target, columns, condition from orgstack.get_tenant_references('public.tasks')$$,
  $$values ('tasks_document_id_fkey', 'public.documents'::regclass, array['document_id'], 'r.id = ($1).document_id'),
           ('tasks_project_id_fkey', 'public.projects'::regclass, array['project_id'], 'r.id = ($1).project_id')$$,
  'tasks: both keys to tenant tables are checked; the key to organizations (no organization_id) is not');
create unique index projects_organization_id_id_key on public.projects (organization_id, id);
create table public.milestones (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id),
  project_id uuid,
  parent_id uuid references public.milestones (id),
  foreign key (organization_id, project_id) references public.projects (organization_id, id));
select results_eq(
  $$select name, columns, condition from orgstack.get_tenant_references('public.milestones')$$,
  $$values ('milestones_parent_id_fkey', array['parent_id'], 'r.id = ($1).parent_id')$$,
  'milestones: a self-reference is checked; a composite key pairing organization_id is left to the key itself');
select tests.authenticate_as('acme_member');
select throws_ok($$select orgstack.get_tenant_references('public.tasks')$$, '42501', 'permission denied for function get_tenant_references',
  'the guard''s catalog helper is not callable through the API');
reset role;

select * from finish();
rollback;
