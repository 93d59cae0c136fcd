-- The work a workspace tracks: projects, their tasks, comments on tasks, and labels.
create table public.projects (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  key text not null check (key ~ '^[A-Z][A-Z0-9]{1,9}$'),
  name text not null check (length(btrim(name)) between 1 and 200),
  description text check (length(description) <= 10000),
  archived_at timestamptz,
  task_count integer not null default 0,
  created_by uuid references public.profiles (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint projects_key_key unique (organization_id, key)
);
create index projects_created_by_idx on public.projects (created_by);
alter table public.projects enable row level security;

create table public.tasks (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  project_id uuid not null references public.projects (id) on delete cascade,
  title text not null check (length(btrim(title)) between 1 and 500),
  description text check (length(description) <= 50000),
  status text not null default 'todo' check (status in ('todo', 'in_progress', 'done', 'canceled')),
  priority smallint not null default 2 check (priority between 0 and 4),
  assignee_id uuid references public.profiles (id) on delete set null,
  due_on date,
  completed_at timestamptz,
  created_by uuid references public.profiles (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- A finished task says when; an open one does not.
  constraint tasks_completed_when_done check ((status = 'done') = (completed_at is not null))
);
-- The hottest read, a project's tasks newest first (bench/examples/saas.ts), walks this index.
create index tasks_project_id_idx on public.tasks (project_id, created_at desc);
-- A project lies in one workspace, so project_id decides organization_id. Without telling the
-- planner, it multiplies the two filters' selectivities (the policy's and the query's), expects
-- a few rows, and sorts a bitmap scan instead of walking the index above: 3.5 ms against
-- 0.15 ms for 50 of a 2,000-task project (bench/examples/saas.ts).
create statistics tasks_project_organization (dependencies) on organization_id, project_id from public.tasks;
create index tasks_assignee_id_idx on public.tasks (assignee_id);
create index tasks_created_by_idx on public.tasks (created_by);
alter table public.tasks enable row level security;

create table public.comments (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  task_id uuid not null references public.tasks (id) on delete cascade,
  author_id uuid references public.profiles (id) on delete set null default auth.uid(),
  body text not null check (length(btrim(body)) between 1 and 20000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index comments_task_id_idx on public.comments (task_id, created_at);
create index comments_author_id_idx on public.comments (author_id);
alter table public.comments enable row level security;

create table public.labels (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 50),
  color text not null default '#6b7280' check (color ~ '^#[0-9a-f]{6}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint labels_name_key unique (organization_id, name)
);
alter table public.labels enable row level security;

create table public.task_labels (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  task_id uuid not null references public.tasks (id) on delete cascade,
  label_id uuid not null references public.labels (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint task_labels_key unique (task_id, label_id)
);
create index task_labels_label_id_idx on public.task_labels (label_id);
alter table public.task_labels enable row level security;
