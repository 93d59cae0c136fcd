-- Made-up data for local and ephemeral stacks only (the library refuses seeds elsewhere). Two
-- stores: Northwind Outfitters (owner nora, staff sam, a customer account cleo with an open
-- cart, a spring coupon with 100 uses) and Harbor Books (owner hal). Safe to run twice: every
-- row has a fixed id and skips itself when present.
insert into auth.users (id, email) values
  ('00000000-0000-4000-8000-0000000000a1', 'nora@northwind.example'),
  ('00000000-0000-4000-8000-0000000000a2', 'sam@northwind.example'),
  ('00000000-0000-4000-8000-0000000000a3', 'cleo@example.com'),
  ('00000000-0000-4000-8000-0000000000a4', 'hal@harborbooks.example')
on conflict (id) do nothing;

insert into public.organizations (id, name, slug, created_by) values
  ('00000000-0000-4000-8000-0000000000b1', 'Northwind Outfitters', 'northwind', '00000000-0000-4000-8000-0000000000a1'),
  ('00000000-0000-4000-8000-0000000000b2', 'Harbor Books', 'harbor-books', '00000000-0000-4000-8000-0000000000a4')
on conflict (id) do nothing;

insert into public.organization_members (organization_id, user_id, role) values
  ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000a2', 'member')
on conflict do nothing;

insert into public.products (id, organization_id, name, slug, description, status) values
  ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000b1', 'Trail Jacket', 'trail-jacket', 'Waterproof shell, taped seams.', 'active'),
  ('00000000-0000-4000-8000-0000000000c2', '00000000-0000-4000-8000-0000000000b1', 'Merino Beanie', 'merino-beanie', 'Soft, warm, itch-free.', 'active'),
  ('00000000-0000-4000-8000-0000000000c3', '00000000-0000-4000-8000-0000000000b2', 'The Tide Tables', 'the-tide-tables', 'A novel of the coast.', 'active')
on conflict (id) do nothing;

insert into public.product_variants (id, organization_id, product_id, sku, title, price_cents) values
  ('00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000c1', 'TJ-M-BLUE', 'Medium, blue', 18900),
  ('00000000-0000-4000-8000-0000000000d2', '00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000c1', 'TJ-L-BLUE', 'Large, blue', 18900),
  ('00000000-0000-4000-8000-0000000000d3', '00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000c2', 'MB-GREY', 'Grey', 3200),
  ('00000000-0000-4000-8000-0000000000d4', '00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-0000000000c3', 'TTT-HB', 'Hardback', 2400)
on conflict (id) do nothing;

insert into public.inventory (organization_id, variant_id, available) values
  ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000d1', 12),
  ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000d2', 3),
  ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000d3', 40),
  ('00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-0000000000d4', 25)
on conflict (variant_id) do nothing;

insert into public.coupons (id, organization_id, code, percent_off, usage_limit) values
  ('00000000-0000-4000-8000-0000000000e1', '00000000-0000-4000-8000-0000000000b1', 'SPRING10', 10, 100)
on conflict (id) do nothing;

insert into public.customers (id, organization_id, user_id, email, name) values
  ('00000000-0000-4000-8000-0000000000f1', '00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000a3', 'cleo@example.com', 'Cleo Marsh'),
  ('00000000-0000-4000-8000-0000000000f2', '00000000-0000-4000-8000-0000000000b2', null, 'walk-in@harborbooks.example', 'Walk-in')
on conflict (id) do nothing;

insert into public.carts (id, organization_id, customer_id) values
  ('00000000-0000-4000-8000-000000000101', '00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000f1')
on conflict (id) do nothing;

insert into public.cart_items (organization_id, cart_id, variant_id, quantity) values
  ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-000000000101', '00000000-0000-4000-8000-0000000000d2', 1),
  ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-000000000101', '00000000-0000-4000-8000-0000000000d3', 2)
on conflict (cart_id, variant_id) do nothing;
