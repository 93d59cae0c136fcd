-- No reference crosses stores: every foreign key between the store's tables, written as the
-- service role (which bypasses row-level security, so only the library's reference guard
-- stands in the way), refuses a row of store b with 23503 and the guard's message; updates by
-- a's member or buyer that point a row at b's are refused alike; a's own rows are accepted.
-- The app's own triggers that read the referenced row (an order's status, a payment's amount)
-- fire after the guard, so a refusal tells a's staff nothing of b's order or payment.
begin;
\ir support/store-fixtures.sql
select plan(31);
select ec_tests.create_store('a');
select ec_tests.create_store('b');
-- An order of a without a coupon and a customer who has not used it, for redemptions.
select ec_tests.keep('customer2', 'a', ec_tests.insert_row('customers', format('(organization_id, email) values (%L, ''second@example.test'')', ec_tests.id('org', 'a'))));
select ec_tests.keep('new_order', 'a', ec_tests.insert_row('orders', format('(organization_id, customer_id) values (%L, %L)', ec_tests.id('org', 'a'), ec_tests.id('customers', 'a'))));

-- as the service role
select tests.authenticate_with_key('service_role');
select throws_ok($$insert into public.product_variants (organization_id, product_id, sku, title, price_cents) values (ec_tests.id('org', 'a'), ec_tests.id('products', 'b'), 'X-1', 'X', 100)$$,
  '23503', 'public.product_variants.product_id: the referenced row of public.products does not exist or belongs to another organization.', 'product_variants.product_id cannot point at store b''s products');
select throws_ok($$insert into public.inventory (organization_id, variant_id, available) values (ec_tests.id('org', 'a'), ec_tests.id('product_variants', 'b'), 1)$$,
  '23503', 'public.inventory.variant_id: the referenced row of public.product_variants does not exist or belongs to another organization.', 'inventory.variant_id cannot point at store b''s product_variants');
select throws_ok($$insert into public.carts (organization_id, customer_id) values (ec_tests.id('org', 'a'), ec_tests.id('customers', 'b'))$$,
  '23503', 'public.carts.customer_id: the referenced row of public.customers does not exist or belongs to another organization.', 'carts.customer_id cannot point at store b''s customers');
select throws_ok($$insert into public.cart_items (organization_id, cart_id, variant_id, quantity) values (ec_tests.id('org', 'a'), ec_tests.id('carts', 'b'), ec_tests.id('variant2', 'a'), 1)$$,
  '23503', 'public.cart_items.cart_id: the referenced row of public.carts does not exist or belongs to another organization.', 'cart_items.cart_id cannot point at store b''s carts');
select throws_ok($$insert into public.cart_items (organization_id, cart_id, variant_id, quantity) values (ec_tests.id('org', 'a'), ec_tests.id('carts', 'a'), ec_tests.id('product_variants', 'b'), 1)$$,
  '23503', 'public.cart_items.variant_id: the referenced row of public.product_variants does not exist or belongs to another organization.', 'cart_items.variant_id cannot point at store b''s product_variants');
select throws_ok($$insert into public.orders (organization_id, customer_id) values (ec_tests.id('org', 'a'), ec_tests.id('customers', 'b'))$$,
  '23503', 'public.orders.customer_id: the referenced row of public.customers does not exist or belongs to another organization.', 'orders.customer_id cannot point at store b''s customers');
select throws_ok($$insert into public.orders (organization_id, customer_id, cart_id) values (ec_tests.id('org', 'a'), ec_tests.id('customers', 'a'), ec_tests.id('carts', 'b'))$$,
  '23503', 'public.orders.cart_id: the referenced row of public.carts does not exist or belongs to another organization.', 'orders.cart_id cannot point at store b''s carts');
select throws_ok($$insert into public.order_items (organization_id, order_id, variant_id, quantity) values (ec_tests.id('org', 'a'), ec_tests.id('orders', 'b'), ec_tests.id('variant2', 'a'), 1)$$,
  '23503', 'public.order_items.order_id: the referenced row of public.orders does not exist or belongs to another organization.', 'order_items.order_id cannot point at store b''s orders');
select throws_ok($$insert into public.order_items (organization_id, order_id, variant_id, quantity) values (ec_tests.id('org', 'a'), ec_tests.id('orders', 'a'), ec_tests.id('product_variants', 'b'), 1)$$,
  '23503', 'public.order_items.variant_id: the referenced row of public.product_variants does not exist or belongs to another organization.', 'order_items.variant_id cannot point at store b''s product_variants');
select throws_ok($$insert into public.coupon_redemptions (organization_id, coupon_id, order_id, customer_id) values (ec_tests.id('org', 'a'), ec_tests.id('coupons', 'b'), ec_tests.id('new_order', 'a'), ec_tests.id('customer2', 'a'))$$,
  '23503', 'public.coupon_redemptions.coupon_id: the referenced row of public.coupons does not exist or belongs to another organization.', 'coupon_redemptions.coupon_id cannot point at store b''s coupons');
select throws_ok($$insert into public.coupon_redemptions (organization_id, coupon_id, order_id, customer_id) values (ec_tests.id('org', 'a'), ec_tests.id('coupons', 'a'), ec_tests.id('orders', 'b'), ec_tests.id('customer2', 'a'))$$,
  '23503', 'public.coupon_redemptions.order_id: the referenced row of public.orders does not exist or belongs to another organization.', 'coupon_redemptions.order_id cannot point at store b''s orders');
select throws_ok($$insert into public.coupon_redemptions (organization_id, coupon_id, order_id, customer_id) values (ec_tests.id('org', 'a'), ec_tests.id('coupons', 'a'), ec_tests.id('new_order', 'a'), ec_tests.id('customers', 'b'))$$,
  '23503', 'public.coupon_redemptions.customer_id: the referenced row of public.customers does not exist or belongs to another organization.', 'coupon_redemptions.customer_id cannot point at store b''s customers');
select throws_ok($$insert into public.payments (organization_id, order_id, amount_cents, status) values (ec_tests.id('org', 'a'), ec_tests.id('orders', 'b'), 100, 'failed')$$,
  '23503', 'public.payments.order_id: the referenced row of public.orders does not exist or belongs to another organization.', 'payments.order_id cannot point at store b''s orders');
select throws_ok($$insert into public.shipments (organization_id, order_id, carrier) values (ec_tests.id('org', 'a'), ec_tests.id('orders', 'b'), 'Post')$$,
  '23503', 'public.shipments.order_id: the referenced row of public.orders does not exist or belongs to another organization.', 'shipments.order_id cannot point at store b''s orders');
select throws_ok($$insert into public.returns (organization_id, order_id, reason) values (ec_tests.id('org', 'a'), ec_tests.id('orders', 'b'), 'x')$$,
  '23503', 'public.returns.order_id: the referenced row of public.orders does not exist or belongs to another organization.', 'returns.order_id cannot point at store b''s orders');
select throws_ok($$insert into public.return_items (organization_id, return_id, order_item_id, quantity) values (ec_tests.id('org', 'a'), ec_tests.id('returns', 'b'), ec_tests.id('order_items', 'a'), 1)$$,
  '23503', 'public.return_items.return_id: the referenced row of public.returns does not exist or belongs to another organization.', 'return_items.return_id cannot point at store b''s returns');
select throws_ok($$insert into public.return_items (organization_id, return_id, order_item_id, quantity) values (ec_tests.id('org', 'a'), ec_tests.id('return2', 'a'), ec_tests.id('order_items', 'b'), 1)$$,
  '23503', 'public.return_items.order_item_id: the referenced row of public.order_items does not exist or belongs to another organization.', 'return_items.order_item_id cannot point at store b''s order_items');
select throws_ok($$insert into public.refunds (organization_id, payment_id, amount_cents) values (ec_tests.id('org', 'a'), ec_tests.id('payments', 'b'), 1)$$,
  '23503', 'public.refunds.payment_id: the referenced row of public.payments does not exist or belongs to another organization.', 'refunds.payment_id cannot point at store b''s payments');
select throws_ok($$insert into public.refunds (organization_id, payment_id, return_id, amount_cents) values (ec_tests.id('org', 'a'), ec_tests.id('payments', 'a'), ec_tests.id('returns', 'b'), 1)$$,
  '23503', 'public.refunds.return_id: the referenced row of public.returns does not exist or belongs to another organization.', 'refunds.return_id cannot point at store b''s returns');
select throws_ok($$insert into public.reviews (organization_id, product_id, customer_id, rating) values (ec_tests.id('org', 'a'), ec_tests.id('products', 'b'), ec_tests.id('customers', 'a'), 3)$$,
  '23503', 'public.reviews.product_id: the referenced row of public.products does not exist or belongs to another organization.', 'reviews.product_id cannot point at store b''s products');
select throws_ok($$insert into public.reviews (organization_id, product_id, customer_id, rating) values (ec_tests.id('org', 'a'), ec_tests.id('product2', 'a'), ec_tests.id('customers', 'b'), 3)$$,
  '23503', 'public.reviews.customer_id: the referenced row of public.customers does not exist or belongs to another organization.', 'reviews.customer_id cannot point at store b''s customers');
select lives_ok($$insert into public.order_items (organization_id, order_id, variant_id, quantity) values (ec_tests.id('org', 'a'), ec_tests.id('new_order', 'a'), ec_tests.id('variant2', 'a'), 1)$$,
  'order_items may point at store a''s own order and variant');
select lives_ok($$insert into public.coupon_redemptions (organization_id, coupon_id, order_id, customer_id) values (ec_tests.id('org', 'a'), ec_tests.id('coupons', 'a'), ec_tests.id('new_order', 'a'), ec_tests.id('customer2', 'a'))$$,
  'coupon_redemptions may point at store a''s own coupon, order and customer');
reset role;

select tests.authenticate_as('a_member');
select throws_ok($$update public.order_items set variant_id = ec_tests.id('product_variants', 'b') where organization_id = ec_tests.id('org', 'a')$$,
  '23503', 'public.order_items.variant_id: the referenced row of public.product_variants does not exist or belongs to another organization.', 'a_member cannot point order_items.variant_id at store b''s product_variants');
reset role;
select tests.authenticate_as('a_buyer');
select throws_ok($$update public.cart_items set variant_id = ec_tests.id('product_variants', 'b') where organization_id = ec_tests.id('org', 'a')$$,
  '23503', 'public.cart_items.variant_id: the referenced row of public.product_variants does not exist or belongs to another organization.', 'a_buyer cannot point cart_items.variant_id at store b''s product_variants');
reset role;
select tests.authenticate_as('a_member');
select throws_ok($$update public.shipments set order_id = ec_tests.id('orders', 'b') where organization_id = ec_tests.id('org', 'a')$$,
  '23503', 'public.shipments.order_id: the referenced row of public.orders does not exist or belongs to another organization.', 'a_member cannot point shipments.order_id at store b''s orders');
reset role;
select tests.authenticate_as('a_buyer');
select throws_ok($$update public.reviews set product_id = ec_tests.id('products', 'b') where organization_id = ec_tests.id('org', 'a')$$,
  '23503', 'public.reviews.product_id: the referenced row of public.products does not exist or belongs to another organization.', 'a_buyer cannot point reviews.product_id at store b''s products');
reset role;

-- b's order is paid; a's staff probing it, or an id that exists nowhere, get the guard's refusal.
update public.orders set status = 'paid' where id = ec_tests.id('orders', 'b');
select tests.authenticate_as('a_member');
select throws_ok($$insert into public.order_items (organization_id, order_id, variant_id, quantity) values (ec_tests.id('org', 'a'), ec_tests.id('orders', 'b'), ec_tests.id('variant2', 'a'), 1)$$,
  '23503', 'public.order_items.order_id: the referenced row of public.orders does not exist or belongs to another organization.', 'a line on b''s paid order is refused without naming its status');
select throws_ok($$insert into public.order_items (organization_id, order_id, variant_id, quantity) values (ec_tests.id('org', 'a'), '00000000-0000-4000-8000-000000000000', ec_tests.id('variant2', 'a'), 1)$$,
  '23503', 'public.order_items.order_id: the referenced row of public.orders does not exist or belongs to another organization.', 'a line on a missing order gets the same refusal');
reset role;
select tests.authenticate_as('a_admin');
select throws_ok($$insert into public.refunds (organization_id, payment_id, amount_cents) values (ec_tests.id('org', 'a'), ec_tests.id('payments', 'b'), 2000000000)$$,
  '23503', 'public.refunds.payment_id: the referenced row of public.payments does not exist or belongs to another organization.', 'a refund beyond b''s payment is refused without its amounts');
select throws_ok($$insert into public.refunds (organization_id, payment_id, amount_cents) values (ec_tests.id('org', 'a'), '00000000-0000-4000-8000-000000000000', 1)$$,
  '23503', 'public.refunds.payment_id: the referenced row of public.payments does not exist or belongs to another organization.', 'a refund of a missing payment gets the same refusal');
reset role;

select * from finish();
rollback;
