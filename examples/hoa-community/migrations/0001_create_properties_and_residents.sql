-- Where people live: a community's properties (buildings, lots), their units, the residents
-- and who occupies which unit when. Communities are the organizations. The TenantTables in
-- tables.ts add the policies, the organization index, the guards and the reference guard.

-- The exclusion constraint on amenity bookings (0004) compares uuids in a GiST index, which
-- needs btree_gist: index.ts declares it in the app's `extensions`, created before migrations.

create table public.properties (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  address text not null check (length(address) between 1 and 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, name)
);
alter table public.properties enable row level security;

create table public.units (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  property_id uuid not null references public.properties (id) on delete cascade,
  label text not null check (length(label) between 1 and 50),
  -- Share of the community's dues and votes, e.g. by floor area.
  share numeric(7, 4) not null default 1 check (share > 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (property_id, label)
);
alter table public.units enable row level security;

-- A person of the community; user_id is set once they have an account.
create table public.residents (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid references auth.users (id) on delete set null,
  full_name text not null check (length(full_name) between 1 and 200),
  email text check (email is null or email ~ '^[^@\s]+@[^@\s]+$'),
  phone text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, user_id)
);
create index residents_user_id_idx on public.residents (user_id);
alter table public.residents enable row level security;

create table public.occupancies (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  unit_id uuid not null references public.units (id) on delete cascade,
  resident_id uuid not null references public.residents (id) on delete cascade,
  kind text not null check (kind in ('owner', 'tenant', 'household')),
  starts_on date not null default current_date,
  ends_on date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ends_on is null or ends_on > starts_on)
);
create index occupancies_unit_id_idx on public.occupancies (unit_id);
create index occupancies_resident_id_idx on public.occupancies (resident_id);
alter table public.occupancies enable row level security;
