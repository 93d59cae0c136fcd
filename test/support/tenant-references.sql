-- Fixtures for test/db/11-tenant-references.sql: references between tenant tables, shaped as
-- an application migration would write them (single-column foreign keys, no organization_id
-- in the key). A task may point at a project (owner-rows, index.ts) and at a document
-- (custom profile: members never read archived ones). Loaded after tenant-profile-tables.sql
-- and pgtap-helpers.sql.
alter table public.tasks
  add column project_id uuid references public.projects (id) on delete set null,
  add column document_id uuid references public.documents (id) on delete set null;
create index tasks_project_id_idx on public.tasks (project_id);
create index tasks_document_id_idx on public.tasks (document_id);

-- tests.get_project_id(slug) -> uuid: the organization's project, whoever asks.
create or replace function tests.get_project_id(slug text)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select p.id from public.projects p
   where p.organization_id = tests.get_organization_id(get_project_id.slug)
   order by p.created_at limit 1
$$;

-- tests.get_archived_document_id(slug) -> uuid: the organization's archived document, which
-- its members cannot read.
create or replace function tests.get_archived_document_id(slug text)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select d.id from public.documents d
   where d.organization_id = tests.get_organization_id(get_archived_document_id.slug) and d.archived
$$;

-- tests.get_error(statement) -> text: '<sqlstate>: <message> (hint: <hint>)' of the error the
-- statement raises as the current role, or null when it succeeds. Lets a suite compare two
-- refusals in full, hint included.
create or replace function tests.get_error(statement text)
returns text
language plpgsql
set search_path = ''
as $$
declare
  state text;
  message text;
  hint text;
begin
  execute get_error.statement;
  return null;
exception when others then
  get stacked diagnostics state = returned_sqlstate, message = message_text, hint = pg_exception_hint;
  return format('%s: %s (hint: %s)', state, message, hint);
end;
$$;

grant execute on function tests.get_project_id(text), tests.get_archived_document_id(text),
  tests.get_error(text) to anon, authenticated, service_role;
