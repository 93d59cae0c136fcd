-- The store's rules on orders, stock, coupons, payments and refunds, as each persona meets
-- them: totals are derived (a client's prices and totals are replaced, even the service role's),
-- stock is never oversold, a coupon holds to its usage limit, an order has one live charge, a
-- paid order's lines are fixed, orders move only forward and cancelling restocks (deleting an
-- order restocks only a pending one, once), refunds never exceed the payment.
begin;
\ir support/store-fixtures.sql
select plan(31);
select ec_tests.create_store('a');

-- as the platform (fixtures): the fixture order of 2 x 1000 with TENOFF
select results_eq($$select subtotal_cents, discount_cents, total_cents from public.orders where id = ec_tests.id('orders', 'a')$$,
  $$values (2000, 200, 1800)$$, 'the fixture order''s totals are derived from its line and its coupon');
select is((select available from public.inventory where variant_id = ec_tests.id('product_variants', 'a')), 8,
  'its line took 2 of the variant''s 10 in stock');
select is((select times_redeemed from public.coupons where id = ec_tests.id('coupons', 'a')), 1,
  'its redemption is counted on the coupon');

-- as a's member
select tests.authenticate_as('a_member');
select ec_tests.keep('order2', 'a', ec_tests.insert_row('orders', format(
  '(organization_id, customer_id, subtotal_cents, discount_cents, total_cents) values (%L, %L, 5, 0, 5)',
  ec_tests.id('org', 'a'), ec_tests.id('customers', 'a'))));
select results_eq($$select subtotal_cents, total_cents from public.orders where id = ec_tests.id('order2', 'a')$$,
  $$values (0, 0)$$, 'a member''s own totals on a new order are replaced by the derived ones');
select lives_ok($$insert into public.order_items (organization_id, order_id, variant_id, quantity, unit_price_cents)
  values (ec_tests.id('org', 'a'), ec_tests.id('order2', 'a'), ec_tests.id('variant2', 'a'), 3, 1)$$,
  'a member adds 3 of variant2 claiming a unit price of 1 cent');
select results_eq($$select unit_price_cents, line_total_cents from public.order_items where order_id = ec_tests.id('order2', 'a')$$,
  $$values (1500, 4500)$$, 'the line is priced at the variant''s 1500, not the client''s 1');
select is(tests.count_changed($$update public.orders set total_cents = 1, subtotal_cents = 1 where id = ec_tests.id('order2', 'a')$$), 1,
  'a member''s update of the totals is accepted as a write');
select results_eq($$select subtotal_cents, total_cents from public.orders where id = ec_tests.id('order2', 'a')$$,
  $$values (4500, 4500)$$, 'but the totals stay derived: 4500');
select throws_ok($$insert into public.order_items (organization_id, order_id, variant_id, quantity)
  values (ec_tests.id('org', 'a'), ec_tests.id('order2', 'a'), ec_tests.id('product_variants', 'a'), 9)$$,
  '23514', format('Out of stock: variant %s has 8 left; 9 requested.', ec_tests.id('product_variants', 'a')),
  'a line for more than the stock left is refused');
select ec_tests.keep('draft_variant', 'a', ec_tests.insert_row('product_variants', format(
  $s$(organization_id, product_id, sku, title, price_cents) values (%L, %L, 'B-1', 'One size', 900)$s$,
  ec_tests.id('org', 'a'), ec_tests.id('product2', 'a'))));
select ec_tests.insert_row('inventory', format('(organization_id, variant_id, available) values (%L, %L, 5)',
  ec_tests.id('org', 'a'), ec_tests.id('draft_variant', 'a')));
select throws_ok($$insert into public.order_items (organization_id, order_id, variant_id, quantity)
  values (ec_tests.id('org', 'a'), ec_tests.id('order2', 'a'), ec_tests.id('draft_variant', 'a'), 1)$$,
  '55000', format('Variant %s is not for sale: its product is draft.', ec_tests.id('draft_variant', 'a')),
  'a line for a variant of a draft product is refused');
select throws_ok($$update public.inventory set available = -1 where variant_id = ec_tests.id('variant2', 'a')$$,
  '23514', 'new row for relation "inventory" violates check constraint "inventory_available_not_negative"',
  'stock is never set below zero by hand either');
select lives_ok($$update public.order_items set quantity = 10 where order_id = ec_tests.id('order2', 'a')$$,
  'a member raises the pending line from 3 to 10, all of variant2''s stock');
select is((select available from public.inventory where variant_id = ec_tests.id('variant2', 'a')), 0,
  'the change took the difference: variant2 has 0 left');
select lives_ok($$delete from public.order_items where order_id = ec_tests.id('order2', 'a')$$,
  'a member removes the pending line');
select is((select available from public.inventory where variant_id = ec_tests.id('variant2', 'a')), 10,
  'removing the line put its 10 back');
select lives_ok($$update public.orders set status = 'paid' where id = ec_tests.id('orders', 'a')$$,
  'a member marks the fixture order paid');
select throws_ok($$update public.order_items set quantity = 1 where order_id = ec_tests.id('orders', 'a')$$,
  '55000', format('Order %s is paid: its lines no longer change.', ec_tests.id('orders', 'a')),
  'a paid order''s lines are fixed');
select throws_ok($$update public.orders set status = 'pending' where id = ec_tests.id('orders', 'a')$$,
  '55000', format('Order %s cannot go from paid to pending.', ec_tests.id('orders', 'a')),
  'a paid order does not go back to pending');
select lives_ok($$insert into public.order_items (organization_id, order_id, variant_id, quantity)
  values (ec_tests.id('org', 'a'), ec_tests.id('order2', 'a'), ec_tests.id('variant2', 'a'), 4)$$,
  'a member puts 4 of variant2 on the pending order2 (6 left)');
select lives_ok($$update public.orders set status = 'cancelled' where id = ec_tests.id('order2', 'a')$$,
  'a member cancels the pending order2');
select is((select available from public.inventory where variant_id = ec_tests.id('variant2', 'a')), 10,
  'cancelling put its 4 back: 10 in stock');
select throws_ok($$update public.orders set status = 'paid' where id = ec_tests.id('order2', 'a')$$,
  '55000', format('Order %s cannot go from cancelled to paid.', ec_tests.id('order2', 'a')),
  'a cancelled order stays cancelled');
reset role;

-- as a's admin
select tests.authenticate_as('a_admin');
select throws_ok($$insert into public.payments (organization_id, order_id, amount_cents) values (ec_tests.id('org', 'a'), ec_tests.id('orders', 'a'), 1800)$$,
  '23505', 'duplicate key value violates unique constraint "payments_one_live_charge_per_order"',
  'an order never has a second live charge');
select throws_ok($$insert into public.refunds (organization_id, payment_id, amount_cents) values (ec_tests.id('org', 'a'), ec_tests.id('payments', 'a'), 901)$$,
  '23514', format('Refunds of payment %s would total 1801 cents; it took 1800.', ec_tests.id('payments', 'a')),
  'refunds never add up to more than the payment took');
reset role;

-- as the service role, which bypasses row-level security
select tests.authenticate_with_key('service_role');
update public.coupons set usage_limit = 1 where id = ec_tests.id('coupons', 'a');
select ec_tests.keep('customer2', 'a', ec_tests.insert_row('customers', format('(organization_id, email) values (%L, ''second@example.test'')', ec_tests.id('org', 'a'))));
select throws_ok($$insert into public.coupon_redemptions (organization_id, coupon_id, order_id, customer_id)
  values (ec_tests.id('org', 'a'), ec_tests.id('coupons', 'a'), ec_tests.id('order2', 'a'), ec_tests.id('customer2', 'a'))$$,
  '23514', 'new row for relation "coupons" violates check constraint "coupons_usage_limit"',
  'a coupon used up (1 of 1) is not redeemed again, even by the service role');
select is(tests.count_changed($$update public.orders set total_cents = 7 where id = ec_tests.id('order2', 'a')$$), 1,
  'the service role''s update of a total is accepted as a write');
select is((select total_cents from public.orders where id = ec_tests.id('order2', 'a')), 6000,
  'but the total stays derived from the 4 lines of 1500: 6000');
reset role;

-- as a's member again: deleting orders (order2 is cancelled, its stock already back at 10)
select tests.authenticate_as('a_member');
select is(tests.count_changed($$delete from public.orders where id = ec_tests.id('order2', 'a')$$), 1, 'a member deletes the cancelled order2');
select is((select available from public.inventory where variant_id = ec_tests.id('variant2', 'a')), 10,
  'its 4 are not put back a second time: still 10 in stock');
select ec_tests.keep('order3', 'a', ec_tests.insert_row('orders', format('(organization_id, customer_id) values (%L, %L)', ec_tests.id('org', 'a'), ec_tests.id('customers', 'a'))));
select ec_tests.insert_row('order_items', format('(organization_id, order_id, variant_id, quantity) values (%L, %L, %L, 2)', ec_tests.id('org', 'a'), ec_tests.id('order3', 'a'), ec_tests.id('variant2', 'a')));
select is(tests.count_changed($$delete from public.orders where id = ec_tests.id('order3', 'a')$$), 1, 'a member deletes a pending order3 of 2');
select is((select available from public.inventory where variant_id = ec_tests.id('variant2', 'a')), 10,
  'its 2 are put back once: 10 in stock');
reset role;

select * from finish();
rollback;
