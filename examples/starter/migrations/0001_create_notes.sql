-- The starter's one tenant table. RLS is on from the start; the TenantTable in index.ts adds
-- its policies, index, guard and automation.
create table public.notes (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  body text not null check (length(body) between 1 and 10000),
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index notes_created_by_idx on public.notes (created_by);
alter table public.notes enable row level security;
