-- After the sale: shipments, returns (and which lines come back) and refunds. A refund never
-- exceeds what its payment took (refunds_check_amount).
create table public.shipments (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  order_id uuid not null references public.orders (id) on delete cascade,
  carrier text not null check (length(btrim(carrier)) between 1 and 100),
  tracking_number text check (length(tracking_number) <= 100),
  status text not null default 'preparing'
    check (status in ('preparing', 'shipped', 'delivered', 'lost')),
  shipped_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status = 'preparing') = (shipped_at is null))
);
create index shipments_order_id_idx on public.shipments (order_id);
alter table public.shipments enable row level security;

create table public.returns (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  order_id uuid not null references public.orders (id) on delete cascade,
  reason text not null check (length(btrim(reason)) between 1 and 2000),
  status text not null default 'requested'
    check (status in ('requested', 'approved', 'received', 'rejected')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index returns_order_id_idx on public.returns (order_id);
alter table public.returns enable row level security;

create table public.return_items (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  return_id uuid not null references public.returns (id) on delete cascade,
  order_item_id uuid not null references public.order_items (id) on delete cascade,
  quantity integer not null check (quantity between 1 and 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (return_id, order_item_id)
);
create index return_items_order_item_id_idx on public.return_items (order_item_id);
alter table public.return_items enable row level security;

create table public.refunds (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  payment_id uuid not null references public.payments (id) on delete restrict,
  return_id uuid references public.returns (id) on delete set null,
  amount_cents integer not null check (amount_cents > 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index refunds_payment_id_idx on public.refunds (payment_id);
create index refunds_return_id_idx on public.refunds (return_id);
alter table public.refunds enable row level security;
