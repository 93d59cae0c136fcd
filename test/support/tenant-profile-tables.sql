-- Tables for test/db/03-tenant-table-profiles.sql: one per TenantTable access profile,
-- shaped like an application migration would create them.
create table public.admin_notes (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  body text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create table public.tasks (like public.admin_notes including all);
alter table public.tasks add foreign key (organization_id) references public.organizations (id) on delete cascade;
create table public.plans (like public.admin_notes including all);
alter table public.plans add foreign key (organization_id) references public.organizations (id) on delete cascade;
create table public.documents (like public.admin_notes including all);
alter table public.documents add foreign key (organization_id) references public.organizations (id) on delete cascade;
alter table public.documents add column archived boolean not null default false;
