-- Metering and feature flags. usage_events is append-only input; usage_daily is the rollup
-- saas.rollup_usage(day) computes (idempotent: it recomputes a day from the events).
create table public.usage_events (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  metric text not null check (metric ~ '^[a-z][a-z0-9_.]{1,62}$'),
  quantity bigint not null default 1 check (quantity > 0),
  api_key_id uuid references public.api_keys (id) on delete set null,
  occurred_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index usage_events_organization_day_idx on public.usage_events (organization_id, occurred_at);
create index usage_events_api_key_id_idx on public.usage_events (api_key_id);
alter table public.usage_events enable row level security;

create table public.usage_daily (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  day date not null,
  metric text not null,
  quantity bigint not null check (quantity >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint usage_daily_key unique (organization_id, day, metric)
);
alter table public.usage_daily enable row level security;

create table public.feature_flags (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  key text not null check (key ~ '^[a-z][a-z0-9_.-]{1,62}$'),
  enabled boolean not null default false,
  description text check (length(description) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint feature_flags_key unique (organization_id, key)
);
alter table public.feature_flags enable row level security;
