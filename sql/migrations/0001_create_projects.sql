-- An example application table. TenantTable 'projects' in index.ts adds its policies
-- (access profile owner-rows), the (organization_id, created_at desc) index, the guard
-- trigger that keeps organization_id fixed, and the updated_at trigger.
create table public.projects (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  owner_id uuid default auth.uid() references public.profiles (id) on delete set null,
  name text not null check (length(btrim(name)) between 1 and 200),
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index projects_owner_id_idx on public.projects (owner_id);
-- On from the start; TenantTable keeps it on.
alter table public.projects enable row level security;
