-- A customer's review of a product, one per product and customer.
create table public.reviews (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  product_id uuid not null references public.products (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  rating integer not null check (rating between 1 and 5),
  body text check (length(body) <= 5000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (product_id, customer_id)
);
create index reviews_customer_id_idx on public.reviews (customer_id);
alter table public.reviews enable row level security;
