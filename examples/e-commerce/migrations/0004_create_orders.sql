-- Orders and their lines. Totals are derived: orders_derive_totals recomputes subtotal,
-- discount and total from order_items and the coupon redemption on every write of the order,
-- and each line's unit price is copied from its variant when the line is written, so no client
-- (nor the service role) can set a price or a total. An order placed by checkout carries the
-- client's idempotency key: the same key returns the same order.
create table public.orders (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete restrict,
  cart_id uuid unique references public.carts (id) on delete set null,
  idempotency_key text check (length(idempotency_key) between 8 and 200),
  status text not null default 'pending'
    check (status in ('pending', 'paid', 'fulfilled', 'cancelled', 'refunded')),
  subtotal_cents integer not null default 0 check (subtotal_cents >= 0),
  discount_cents integer not null default 0 check (discount_cents >= 0),
  total_cents integer not null default 0 check (total_cents >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, idempotency_key),
  check (total_cents = subtotal_cents - discount_cents)
);
create index orders_customer_id_idx on public.orders (customer_id);
alter table public.orders enable row level security;

create table public.order_items (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  order_id uuid not null references public.orders (id) on delete cascade,
  variant_id uuid not null references public.product_variants (id) on delete restrict,
  quantity integer not null check (quantity between 1 and 1000),
  unit_price_cents integer not null default 0 check (unit_price_cents >= 0),
  line_total_cents integer generated always as (quantity * unit_price_cents) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (order_id, variant_id)
);
create index order_items_variant_id_idx on public.order_items (variant_id);
alter table public.order_items enable row level security;

-- One coupon per order, and a coupon at most once per customer.
create table public.coupon_redemptions (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  coupon_id uuid not null references public.coupons (id) on delete restrict,
  order_id uuid not null unique references public.orders (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (coupon_id, customer_id)
);
create index coupon_redemptions_customer_id_idx on public.coupon_redemptions (customer_id);
alter table public.coupon_redemptions enable row level security;

-- A charge per order: at most one that is not failed, so a retried checkout never charges twice.
create table public.payments (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  order_id uuid not null references public.orders (id) on delete restrict,
  amount_cents integer not null check (amount_cents > 0),
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
  provider_reference text check (length(provider_reference) <= 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index payments_one_live_charge_per_order on public.payments (order_id)
  where status <> 'failed';
alter table public.payments enable row level security;
