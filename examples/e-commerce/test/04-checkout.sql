-- public.checkout by persona: a's buyer checks out their own cart once per idempotency key (a
-- retry returns the same order and takes nothing twice), with or without a coupon; a's staff
-- may check out a customer's cart; the viewer, b's buyer, the outsider and anon cannot. A
-- buyer reads their own carts and orders and no other customer's.
begin;
\ir support/store-fixtures.sql
select plan(23);
select ec_tests.create_store('a');
select ec_tests.create_store('b');
select tests.create_outsider();
-- A second customer of a with an open cart of 2 x variant2 (1500).
select ec_tests.keep('other', 'a', ec_tests.insert_row('customers', format('(organization_id, email) values (%L, ''other@example.test'')', ec_tests.id('org', 'a'))));
select ec_tests.keep('other_cart', 'a', ec_tests.insert_row('carts', format('(organization_id, customer_id) values (%L, %L)', ec_tests.id('org', 'a'), ec_tests.id('other', 'a'))));
select ec_tests.insert_row('cart_items', format('(organization_id, cart_id, variant_id, quantity) values (%L, %L, %L, 2)', ec_tests.id('org', 'a'), ec_tests.id('other_cart', 'a'), ec_tests.id('variant2', 'a')));

-- The fixture order's redemption undone (the counter goes back to 0): TENOFF is unused.
delete from public.coupon_redemptions where order_id = ec_tests.id('orders', 'a');

-- as a's buyer (their cart: 1 x variant at 1000; 8 in stock after the fixture order)
select tests.authenticate_as('a_buyer');
select is((select count(*)::int from public.orders), 1, 'a''s buyer reads their own order');
select is((select count(*)::int from public.carts where id = ec_tests.id('other_cart', 'a')), 0, 'a''s buyer does not read another customer''s cart');
select lives_ok($$update public.cart_items set quantity = 2 where cart_id = ec_tests.id('carts', 'a')$$, 'a''s buyer changes a line of their open cart');
select throws_ok($$select public.checkout(ec_tests.id('carts', 'a'), 'short')$$, '22023',
  'Idempotency-Key: expected 8 to 200 characters identifying this checkout attempt.', 'a key of 5 characters is refused');
select throws_ok($$select public.checkout(ec_tests.id('carts', 'a'), 'key-one-0001', 'NOPE')$$, '22023',
  'couponCode: NOPE is not a coupon of this store valid now.', 'an unknown coupon is refused, and nothing is placed');
select ec_tests.keep('placed', 'a', (public.checkout(ec_tests.id('carts', 'a'), 'key-one-0001', 'tenoff')).id);
select results_eq($$select status, subtotal_cents, discount_cents, total_cents from public.orders where id = ec_tests.id('placed', 'a')$$,
  $$values ('pending', 2000, 200, 1800)$$, 'checkout places a pending order of 2 x 1000 less TENOFF''s 10 %');
select is(public.checkout(ec_tests.id('carts', 'a'), 'key-one-0001', 'tenoff'), (select o from public.orders o where o.id = ec_tests.id('placed', 'a')),
  'the same key returns the same order');
select throws_ok($$select public.checkout(ec_tests.id('carts', 'a'), 'key-two-0002')$$, '55000',
  format('cartId: cart %s is checked_out; only an open cart with items is checked out.', ec_tests.id('carts', 'a')),
  'another key for the checked-out cart places nothing');
select is(tests.count_changed($$update public.cart_items set quantity = 5 where cart_id = ec_tests.id('carts', 'a')$$), 0,
  'a''s buyer no longer changes the checked-out cart');
reset role;

-- as the platform (a buyer reads no payments)
select results_eq($$select amount_cents, status from public.payments where order_id = ec_tests.id('placed', 'a')$$,
  $$values (1800, 'pending')$$, 'the order has one charge of its total, though the key was used twice');
select is((select available from public.inventory where variant_id = ec_tests.id('product_variants', 'a')), 6,
  'stock went from 8 to 6 once, not twice');
select is((select times_redeemed from public.coupons where id = ec_tests.id('coupons', 'a')), 1, 'TENOFF is counted once');

update public.coupons set usage_limit = 1 where id = ec_tests.id('coupons', 'a');

-- as a's member (staff check out a customer's cart)
select tests.authenticate_as('a_member');
select throws_ok($$select public.checkout(ec_tests.id('other_cart', 'a'), 'key-one-0001')$$, '23505',
  format('Idempotency-Key: key-one-0001 already placed order %s for another cart.', ec_tests.id('placed', 'a')),
  'a key that placed another cart''s order is refused');
select throws_ok($$select public.checkout(ec_tests.id('other_cart', 'a'), 'key-three-0003', 'TENOFF')$$, '23514',
  'couponCode: TENOFF has reached its usage limit (1).', 'a coupon at its usage limit is refused');
update public.inventory set available = 1 where variant_id = ec_tests.id('variant2', 'a');
select throws_ok($$select public.checkout(ec_tests.id('other_cart', 'a'), 'key-three-0003')$$, '23514',
  format('Out of stock: variant %s has 1 left; 2 requested.', ec_tests.id('variant2', 'a')), 'a cart beyond the stock is refused');
select is((select status from public.carts where id = ec_tests.id('other_cart', 'a')), 'open', 'and stays open, with no order');
update public.inventory set available = 2 where variant_id = ec_tests.id('variant2', 'a');
select is((public.checkout(ec_tests.id('other_cart', 'a'), 'key-three-0003')).total_cents, 3000, 'a''s member checks out the other customer''s cart: 3000');
select is((select available from public.inventory where variant_id = ec_tests.id('variant2', 'a')), 0, 'its last 2 are sold, none oversold');
reset role;

-- as a's viewer, b's buyer, the outsider and anon
select tests.authenticate_as('a_viewer');
select throws_ok($$select public.checkout(ec_tests.id('carts', 'b'), 'key-four-0004')$$, 'P0002',
  format('cartId: cart %s does not exist or is not yours.', ec_tests.id('carts', 'b')), 'a''s viewer cannot check out a cart of b');
reset role;
select tests.authenticate_as('b_buyer');
select throws_ok($$select public.checkout(ec_tests.id('other_cart', 'a'), 'key-four-0004')$$, 'P0002',
  format('cartId: cart %s does not exist or is not yours.', ec_tests.id('other_cart', 'a')), 'b''s buyer cannot check out a''s cart');
select is((select count(*)::int from public.orders), 1, 'b''s buyer reads only their own order');
reset role;
select tests.authenticate_as('outsider');
select throws_ok($$select public.checkout(ec_tests.id('carts', 'b'), 'key-four-0004')$$, 'P0002',
  format('cartId: cart %s does not exist or is not yours.', ec_tests.id('carts', 'b')), 'the outsider cannot check out');
reset role;
select tests.authenticate_as_anon();
select throws_ok($$select public.checkout(ec_tests.id('carts', 'b'), 'key-four-0004')$$, '42501',
  'permission denied for function checkout', 'anon cannot call checkout');
reset role;

select * from finish();
rollback;
