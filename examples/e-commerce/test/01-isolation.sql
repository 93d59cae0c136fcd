-- Isolation of every table, by persona and command: store a's member reads and writes a and
-- never sees, changes or writes into b; a's viewer only reads; the outsider and anon see
-- nothing; each table's writer (member, admin, the buyer for reviews, nobody for redemptions)
-- inserts, updates and deletes, and the rank below it cannot insert. 16 tables x 15.
begin;
\ir support/store-fixtures.sql
select plan(240);
select ec_tests.create_store('a');
select ec_tests.create_store('b');
select tests.create_outsider();

select * from ec_tests.check_table('products', 'member', $$(organization_id, name, slug) values (%1$L, 'New', 'new-item')$$);
select * from ec_tests.check_table('product_variants', 'member', $$(organization_id, product_id, sku, title, price_cents) values (%1$L, ec_tests.id('products', %2$L), 'NEW-1', 'New', 500)$$);
select * from ec_tests.check_table('inventory', 'member', $$(organization_id, variant_id, available) values (%1$L, ec_tests.id('spare_variant', %2$L), 5)$$);
select * from ec_tests.check_table('customers', 'member', $$(organization_id, email) values (%1$L, 'walk-in@example.test')$$);
select * from ec_tests.check_table('carts', 'member', $$(organization_id, customer_id) values (%1$L, ec_tests.id('customers', %2$L))$$);
select * from ec_tests.check_table('cart_items', 'member', $$(organization_id, cart_id, variant_id, quantity) values (%1$L, ec_tests.id('carts', %2$L), ec_tests.id('variant2', %2$L), 1)$$);
select * from ec_tests.check_table('coupons', 'admin', $$(organization_id, code, amount_off_cents) values (%1$L, 'FIVE', 500)$$);
select * from ec_tests.check_table('orders', 'member', $$(organization_id, customer_id) values (%1$L, ec_tests.id('customers', %2$L))$$);
select * from ec_tests.check_table('order_items', 'member', $$(organization_id, order_id, variant_id, quantity) values (%1$L, ec_tests.id('orders', %2$L), ec_tests.id('variant2', %2$L), 1)$$);
select * from ec_tests.check_table('coupon_redemptions', 'nobody', $$(organization_id, coupon_id, order_id, customer_id) values (%1$L, ec_tests.id('coupons', %2$L), ec_tests.id('orders', %2$L), ec_tests.id('customers', %2$L))$$);
select * from ec_tests.check_table('payments', 'admin', $$(organization_id, order_id, amount_cents, status) values (%1$L, ec_tests.id('orders', %2$L), 100, 'failed')$$);
select * from ec_tests.check_table('shipments', 'member', $$(organization_id, order_id, carrier) values (%1$L, ec_tests.id('orders', %2$L), 'Courier')$$);
select * from ec_tests.check_table('returns', 'member', $$(organization_id, order_id, reason) values (%1$L, ec_tests.id('orders', %2$L), 'Changed my mind')$$);
select * from ec_tests.check_table('return_items', 'member', $$(organization_id, return_id, order_item_id, quantity) values (%1$L, ec_tests.id('return2', %2$L), ec_tests.id('order_items', %2$L), 1)$$);
select * from ec_tests.check_table('refunds', 'admin', $$(organization_id, payment_id, amount_cents) values (%1$L, ec_tests.id('payments', %2$L), 100)$$);
select * from ec_tests.check_table('reviews', 'buyer', $$(organization_id, product_id, customer_id, rating) values (%1$L, ec_tests.id('product2', %2$L), ec_tests.id('customers', %2$L), 5)$$);

select * from finish();
rollback;
