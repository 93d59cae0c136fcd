-- The catalog: products, their variants (what a buyer picks: size, colour) and one inventory
-- row per variant. Staff (members) keep them; TenantTable in tables.ts adds policies, the
-- organization index, the reference guard and the updated_at trigger.
create table public.products (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 200),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  description text check (length(description) <= 20000),
  status text not null default 'draft' check (status in ('draft', 'active', 'archived')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, slug)
);
alter table public.products enable row level security;

create table public.product_variants (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  product_id uuid not null references public.products (id) on delete cascade,
  sku text not null check (sku ~ '^[A-Za-z0-9._-]{1,64}$'),
  title text not null check (length(btrim(title)) between 1 and 200),
  -- Money is integer cents in the store's one currency: no rounding in sums.
  price_cents integer not null check (price_cents >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, sku)
);
create index product_variants_product_id_idx on public.product_variants (product_id);
alter table public.product_variants enable row level security;

-- One row per variant. available never goes below zero: the check is the last line of defence
-- behind the order_items_reserve_stock trigger's conditional decrement.
create table public.inventory (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  variant_id uuid not null unique references public.product_variants (id) on delete cascade,
  available integer not null default 0 constraint inventory_available_not_negative check (available >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.inventory enable row level security;
