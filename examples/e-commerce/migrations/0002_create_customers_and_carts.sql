-- A store's customers (optionally a signed-in user: they then see their own carts and orders),
-- their carts and the cart's lines. A cart holds no prices: checkout reads them.
create table public.customers (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid references auth.users (id) on delete set null,
  email text not null check (email ~ '^[^@\s]+@[^@\s]+$' and length(email) <= 254),
  name text check (length(name) <= 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, email),
  unique (organization_id, user_id)
);
create index customers_user_id_idx on public.customers (user_id);
alter table public.customers enable row level security;

create table public.carts (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  status text not null default 'open' check (status in ('open', 'checked_out', 'abandoned')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index carts_customer_id_idx on public.carts (customer_id);
alter table public.carts enable row level security;

create table public.cart_items (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  cart_id uuid not null references public.carts (id) on delete cascade,
  variant_id uuid not null references public.product_variants (id) on delete cascade,
  quantity integer not null check (quantity between 1 and 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (cart_id, variant_id)
);
create index cart_items_variant_id_idx on public.cart_items (variant_id);
alter table public.cart_items enable row level security;
