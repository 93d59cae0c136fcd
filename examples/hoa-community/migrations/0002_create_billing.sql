-- Money: recurring dues schedules, special assessments, the invoices they raise for a unit
-- (billed to one resident, who may read it; the board reads them all) and payments.

create table public.dues_schedules (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  amount_cents integer not null check (amount_cents > 0),
  frequency text not null check (frequency in ('monthly', 'quarterly', 'yearly')),
  starts_on date not null,
  ends_on date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ends_on is null or ends_on > starts_on)
);
alter table public.dues_schedules enable row level security;

create table public.assessments (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  reason text,
  amount_cents integer not null check (amount_cents > 0),
  due_on date not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.assessments enable row level security;

create table public.invoices (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  unit_id uuid not null references public.units (id),
  resident_id uuid not null references public.residents (id),
  dues_schedule_id uuid references public.dues_schedules (id),
  assessment_id uuid references public.assessments (id),
  amount_cents integer not null check (amount_cents > 0),
  issued_on date not null default current_date,
  due_on date not null,
  status text not null default 'open' check (status in ('open', 'paid', 'void')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint invoices_due_after_issue check (due_on >= issued_on),
  -- An invoice bills dues, an assessment, or neither (a fine); never both.
  constraint invoices_one_charge check (num_nonnulls(dues_schedule_id, assessment_id) <= 1)
);
create index invoices_unit_id_idx on public.invoices (unit_id);
create index invoices_resident_id_idx on public.invoices (resident_id);
create index invoices_dues_schedule_id_idx on public.invoices (dues_schedule_id);
create index invoices_assessment_id_idx on public.invoices (assessment_id);
alter table public.invoices enable row level security;

create table public.payments (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  invoice_id uuid not null references public.invoices (id),
  amount_cents integer not null check (amount_cents > 0),
  method text not null check (method in ('ach', 'card', 'check', 'cash')),
  reference text,
  paid_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index payments_invoice_id_idx on public.payments (invoice_id);
alter table public.payments enable row level security;
