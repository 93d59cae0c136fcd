-- No row of one workspace points at another workspace's row, through any reference between
-- tenant tables (the library's <table>_guard_references): a task on another workspace's
-- project, a comment on its task, a label of its, a delivery of its webhook, a usage event of
-- its API key. Each refusal is SQLSTATE 23503, and has its allowed counterpart. A project's or
-- task's created_by (a profile, not a tenant row) names the user who made it, never another.
begin;
set local search_path = extensions;
select plan(18);
\ir fixtures/workspaces.sql

create function tests.get_row_id(table_name regclass, slug text)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  found uuid;
begin
  execute format('select id from %s where organization_id = $1 order by created_at limit 1', get_row_id.table_name)
    into found using tests.get_organization_id(get_row_id.slug);
  return found;
end;
$$;
create function tests.get_reference_refusal(key text, referenced text)
returns text
language sql
immutable
as $$
  select format('%s: the referenced row of %s does not exist or belongs to another organization.', key, referenced)
$$;
grant execute on all functions in schema tests to anon, authenticated, service_role;

-- as acme member
select tests.authenticate_as('acme_member');
select lives_ok(format('insert into public.tasks (organization_id, project_id, title) values (%L, %L, ''ok'')',
  tests.get_organization_id('acme'), tests.get_row_id('public.projects', 'acme')),
  'acme member creates a task on an acme project');
select throws_ok(format('insert into public.tasks (organization_id, project_id, title) values (%L, %L, ''across'')',
  tests.get_organization_id('acme'), tests.get_row_id('public.projects', 'globex')),
  '23503', tests.get_reference_refusal('public.tasks.project_id', 'public.projects'),
  'acme member cannot create a task on globex''s project');
select throws_ok(format('update public.tasks set project_id = %L where organization_id = %L',
  tests.get_row_id('public.projects', 'globex'), tests.get_organization_id('acme')),
  '23503', tests.get_reference_refusal('public.tasks.project_id', 'public.projects'),
  'acme member cannot move an acme task to globex''s project');
select lives_ok(format('insert into public.comments (organization_id, task_id, author_id, body) values (%L, %L, auth.uid(), ''ok'')',
  tests.get_organization_id('acme'), tests.get_row_id('public.tasks', 'acme')),
  'acme member comments on an acme task');
select throws_ok(format('insert into public.comments (organization_id, task_id, author_id, body) values (%L, %L, auth.uid(), ''across'')',
  tests.get_organization_id('acme'), tests.get_row_id('public.tasks', 'globex')),
  '23503', tests.get_reference_refusal('public.comments.task_id', 'public.tasks'),
  'acme member cannot comment on globex''s task');
select throws_ok(format('insert into public.task_labels (organization_id, task_id, label_id) values (%L, %L, %L)',
  tests.get_organization_id('acme'), tests.get_row_id('public.tasks', 'globex'), tests.get_row_id('public.labels', 'acme')),
  '23503', tests.get_reference_refusal('public.task_labels.task_id', 'public.tasks'),
  'acme member cannot put an acme label on globex''s task');
reset role;
select throws_ok(format('insert into public.task_labels (organization_id, task_id, label_id) values (%L, %L, %L)',
  tests.get_organization_id('acme'), tests.get_row_id('public.tasks', 'acme'),
  (select l.id from public.labels l where l.organization_id = tests.get_organization_id('globex') and l.name = 'feature')),
  '23503', tests.get_reference_refusal('public.task_labels.label_id', 'public.labels'),
  'even the platform cannot label an acme task with globex''s label');
insert into public.invitations (organization_id, email, role)
values (tests.get_organization_id('globex'), 'guest@example.test', 'member');

-- as the service role (webhook deliveries and metering are its work)
select tests.authenticate_with_key('service_role');
select lives_ok(format('insert into public.webhook_deliveries (organization_id, webhook_id, event, payload) values (%L, %L, ''task.created'', ''{}'')',
  tests.get_organization_id('acme'), tests.get_row_id('public.webhooks', 'acme')),
  'the service role records a delivery of an acme webhook');
select throws_ok(format('insert into public.webhook_deliveries (organization_id, webhook_id, event, payload) values (%L, %L, ''task.created'', ''{}'')',
  tests.get_organization_id('acme'), tests.get_row_id('public.webhooks', 'globex')),
  '23503', tests.get_reference_refusal('public.webhook_deliveries.webhook_id', 'public.webhooks'),
  'the service role cannot record an acme delivery of globex''s webhook');
select lives_ok(format('insert into public.usage_events (organization_id, metric, api_key_id) values (%L, ''api.requests'', %L)',
  tests.get_organization_id('acme'), tests.get_row_id('public.api_keys', 'acme')),
  'the service role meters an acme event of an acme key');
select throws_ok(format('insert into public.usage_events (organization_id, metric, api_key_id) values (%L, ''api.requests'', %L)',
  tests.get_organization_id('acme'), tests.get_row_id('public.api_keys', 'globex')),
  '23503', tests.get_reference_refusal('public.usage_events.api_key_id', 'public.api_keys'),
  'the service role cannot meter an acme event of globex''s key');
select throws_ok(format('insert into public.seats (organization_id, invitation_id) values (%L, %L)',
  tests.get_organization_id('acme'), (select i.id from public.invitations i where i.email = 'guest@example.test')),
  '23503', tests.get_reference_refusal('public.seats.invitation_id', 'public.invitations'),
  'the service role cannot give an acme seat to globex''s invitation');
reset role;

-- the catalog: every reference between tenant tables is guarded
select is_empty(
  $$select c.conrelid::regclass::text || '.' || c.conname from pg_catalog.pg_constraint c
     where c.contype = 'f' and c.conrelid::regclass::text like 'public.%'
       and exists (select 1 from pg_catalog.pg_attribute a where a.attrelid = c.confrelid and a.attname = 'organization_id')
       and exists (select 1 from pg_catalog.pg_attribute a where a.attrelid = c.conrelid and a.attname = 'organization_id')
       and not exists (select 1 from pg_catalog.pg_trigger t where t.tgrelid = c.conrelid
                         and t.tgfoid = 'orgstack.trigger_guard_references()'::regprocedure)$$,
  'no foreign key between two workspace tables lacks the reference guard');

-- created_by: a member cannot credit a task or project to a colleague, nor to another
-- workspace's user, nor rewrite it later.
select tests.authenticate_as('acme_member');
select throws_ok(format('insert into public.tasks (organization_id, project_id, title, created_by) values (%L, %L, ''Forged'', %L)',
    tests.get_organization_id('acme'), tests.get_row_id('public.projects', 'acme'), tests.get_user_id('acme_owner')),
  '42501', 'public.tasks.created_by: a row is created by the requesting user, not by another.',
  'acme member cannot credit a new task to acme''s owner');
select throws_ok(format('insert into public.projects (organization_id, key, name, created_by) values (%L, ''FRG'', ''Forged'', %L)',
    tests.get_organization_id('acme'), tests.get_user_id('globex_owner')),
  '42501', 'public.projects.created_by: a row is created by the requesting user, not by another.',
  'nor a new project to globex''s owner');
select throws_ok(format('update public.tasks set created_by = %L where id = %L', tests.get_user_id('acme_owner'), tests.get_row_id('public.tasks', 'acme')),
  '42501', 'public.tasks.created_by: a row is created by the requesting user, not by another.',
  'nor rewrite who created a task');
select lives_ok(format('insert into public.tasks (organization_id, project_id, title) values (%L, %L, ''Mine'')',
    tests.get_organization_id('acme'), tests.get_row_id('public.projects', 'acme')),
  'acme member creates a task, credited to them by default');
select is((select created_by from public.tasks where title = 'Mine'), tests.get_user_id('acme_member'), 'its created_by is acme member');
reset role;

select * from finish();
rollback;
