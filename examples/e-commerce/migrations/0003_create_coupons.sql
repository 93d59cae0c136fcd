-- Coupons: a percentage or a fixed amount off, with an optional usage limit. times_redeemed is
-- the library's counter of coupon_redemptions (tables.ts), updated under the coupon's row lock,
-- so the check below holds however many checkouts redeem at once.
create table public.coupons (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  code text not null check (code ~ '^[A-Z0-9_-]{3,32}$'),
  percent_off integer check (percent_off between 1 and 100),
  amount_off_cents integer check (amount_off_cents > 0),
  usage_limit integer check (usage_limit > 0),
  times_redeemed integer not null default 0,
  starts_at timestamptz not null default now(),
  ends_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, code),
  constraint coupons_one_discount check ((percent_off is null) <> (amount_off_cents is null)),
  constraint coupons_usage_limit check (times_redeemed between 0 and coalesce(usage_limit, times_redeemed)),
  check (ends_at is null or ends_at > starts_at)
);
alter table public.coupons enable row level security;
