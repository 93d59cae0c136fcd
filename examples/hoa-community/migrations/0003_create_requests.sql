-- What residents raise and the board decides: rule violations, architectural change requests
-- and maintenance requests.

create table public.violations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  unit_id uuid not null references public.units (id) on delete cascade,
  rule text not null check (length(rule) between 1 and 200),
  description text not null check (length(description) between 1 and 5000),
  fine_cents integer not null default 0 check (fine_cents >= 0),
  status text not null default 'open' check (status in ('open', 'cured', 'fined', 'dismissed')),
  observed_on date not null default current_date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index violations_unit_id_idx on public.violations (unit_id);
alter table public.violations enable row level security;

create table public.architectural_requests (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  unit_id uuid not null references public.units (id) on delete cascade,
  submitted_by uuid references auth.users (id) on delete set null default auth.uid(),
  title text not null check (length(title) between 1 and 200),
  description text not null check (length(description) between 1 and 5000),
  status text not null default 'submitted'
    check (status in ('submitted', 'approved', 'approved_with_conditions', 'denied', 'withdrawn')),
  decision_note text,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index architectural_requests_unit_id_idx on public.architectural_requests (unit_id);
create index architectural_requests_submitted_by_idx on public.architectural_requests (submitted_by);
alter table public.architectural_requests enable row level security;

create table public.maintenance_requests (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  unit_id uuid references public.units (id) on delete set null,
  requested_by uuid references auth.users (id) on delete set null default auth.uid(),
  title text not null check (length(title) between 1 and 200),
  description text not null check (length(description) between 1 and 5000),
  priority text not null default 'normal' check (priority in ('low', 'normal', 'urgent')),
  status text not null default 'open' check (status in ('open', 'scheduled', 'done', 'cancelled')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index maintenance_requests_unit_id_idx on public.maintenance_requests (unit_id);
create index maintenance_requests_requested_by_idx on public.maintenance_requests (requested_by);
alter table public.maintenance_requests enable row level security;
