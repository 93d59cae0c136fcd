-- Billing: the plans on offer (one catalogue for every workspace), each workspace's
-- subscription, the seats it occupies, and its payment methods. A workspace is an organization.
-- Private helpers live in schema saas, which the API never sees.
create schema saas;
revoke all on schema saas from public;

-- The catalogue: not a tenant table, the same for everyone; written by migrations and the
-- service role only.
create table public.plans (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[a-z][a-z0-9_]{1,30}$'),
  name text not null check (length(btrim(name)) between 1 and 100),
  -- Seats a subscription on this plan may buy, at most.
  max_seats integer not null check (max_seats between 1 and 100000),
  monthly_price_cents integer not null check (monthly_price_cents >= 0),
  features jsonb not null default '{}' check (jsonb_typeof(features) = 'object'),
  listed boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.plans enable row level security;
revoke insert, update, delete on public.plans from authenticated;

-- One subscription per workspace, created with it on the free plan. seat_quantity is what the
-- workspace pays for; members and open invitations may not exceed it (saas.check_seat_limit).
create table public.subscriptions (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null unique references public.organizations (id) on delete cascade,
  plan_id uuid not null references public.plans (id),
  status text not null default 'active'
    check (status in ('trialing', 'active', 'past_due', 'canceled')),
  seat_quantity integer not null check (seat_quantity >= 1),
  current_period_end timestamptz not null default now() + interval '1 month',
  provider_ref text check (length(provider_ref) <= 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index subscriptions_plan_id_idx on public.subscriptions (plan_id);
alter table public.subscriptions enable row level security;

-- One row per occupied seat: a member (user_id) or an open invitation (invitation_id), never
-- both. Written only by triggers (saas.trigger_*_seat); read by every member.
create table public.seats (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid references public.profiles (id) on delete cascade,
  invitation_id uuid references public.invitations (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint seats_one_holder check ((user_id is null) <> (invitation_id is null)),
  constraint seats_user_key unique (organization_id, user_id),
  constraint seats_invitation_key unique (invitation_id)
);
create index seats_user_id_idx on public.seats (user_id);
alter table public.seats enable row level security;

-- Card details stay with the payment provider; we keep its reference and what a person needs
-- to recognise the card. Owners and the billing role only.
create table public.payment_methods (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  provider_ref text not null check (length(provider_ref) between 1 and 200),
  brand text not null check (brand in ('visa', 'mastercard', 'amex', 'sepa_debit')),
  last4 text not null check (last4 ~ '^[0-9]{4}$'),
  exp_month smallint check (exp_month between 1 and 12),
  exp_year smallint check (exp_year between 2000 and 2100),
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index payment_methods_one_default_key on public.payment_methods (organization_id)
  where is_default;
alter table public.payment_methods enable row level security;

insert into public.plans (code, name, max_seats, monthly_price_cents, features) values
  ('free', 'Free', 5, 0, '{"webhooks": false, "api_keys": 2}'),
  ('team', 'Team', 50, 1200, '{"webhooks": true, "api_keys": 20}'),
  ('business', 'Business', 1000, 2900, '{"webhooks": true, "api_keys": 200, "sso": true}');
