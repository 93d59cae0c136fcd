-- Fixtures of the store's suites, included with \ir by each test/NN-*.sql inside its
-- transaction, so they vanish with its rollback. ec_tests.create_store(slug) makes a store with
-- the library's personas (<slug>_owner, _admin, _member, _viewer), a signed-in customer
-- <slug>_buyer and one row in every table; ec_tests.id(name, slug) finds those rows.
create schema ec_tests;
grant usage on schema ec_tests to anon, authenticated, service_role;
create table ec_tests.fixtures (name text, slug text, id uuid, primary key (name, slug));

-- ec_tests.id(name, slug) -> uuid: the fixture row `name` of store `slug`, whoever asks.
create function ec_tests.id(name text, slug text) returns uuid
language sql stable security definer set search_path = '' as $$
  select f.id from ec_tests.fixtures f where f.name = id.name and f.slug = id.slug
$$;

-- ec_tests.insert_row(table, rest) -> uuid: `insert into public.<table> <rest> returning id`.
create function ec_tests.insert_row(table_name text, rest text) returns uuid
language plpgsql set search_path = '' as $$
declare
  inserted uuid;
begin
  execute format('insert into public.%I %s returning id', insert_row.table_name, insert_row.rest) into inserted;
  return inserted;
end;
$$;

create function ec_tests.keep(name text, slug text, id uuid) returns uuid
language sql security definer set search_path = '' as $$
  insert into ec_tests.fixtures values (keep.name, keep.slug, keep.id) returning id
$$;

-- ec_tests.create_store(slug): the store, its personas and a row in every table. Order
-- `order` is pending with one line of `variant` (2 at 1000 cents) and coupon TENOFF (10 %).
create function ec_tests.create_store(slug text) returns void
language plpgsql set search_path = '' as $$
declare
  org uuid := tests.create_organization_personas(create_store.slug);
  k text := create_store.slug;
  placed uuid;
begin
  perform ec_tests.keep('org', k, org);
  perform ec_tests.keep('buyer', k, tests.create_user(k || '_buyer'));
  perform ec_tests.keep('products', k, (ec_tests.insert_row('products', format(
    $s$(organization_id, name, slug, status) values (%L, 'Jacket', 'jacket', 'active')$s$, org))));
  perform ec_tests.keep('product2', k, ec_tests.insert_row('products', format(
    $s$(organization_id, name, slug) values (%L, 'Beanie', 'beanie')$s$, org)));
  perform ec_tests.keep('product_variants', k, ec_tests.insert_row('product_variants', format(
    $s$(organization_id, product_id, sku, title, price_cents) values (%L, %L, 'J-M', 'M', 1000)$s$, org, ec_tests.id('products', k))));
  perform ec_tests.keep('variant2', k, ec_tests.insert_row('product_variants', format(
    $s$(organization_id, product_id, sku, title, price_cents) values (%L, %L, 'J-L', 'L', 1500)$s$, org, ec_tests.id('products', k))));
  perform ec_tests.keep('spare_variant', k, ec_tests.insert_row('product_variants', format(
    $s$(organization_id, product_id, sku, title, price_cents) values (%L, %L, 'J-XL', 'XL', 1500)$s$, org, ec_tests.id('products', k))));
  perform ec_tests.keep('inventory', k, ec_tests.insert_row('inventory', format(
    $s$(organization_id, variant_id, available) values (%L, %L, 10)$s$, org, ec_tests.id('product_variants', k))));
  perform ec_tests.insert_row('inventory', format(
    $s$(organization_id, variant_id, available) values (%L, %L, 10)$s$, org, ec_tests.id('variant2', k)));
  perform ec_tests.keep('customers', k, ec_tests.insert_row('customers', format(
    $s$(organization_id, user_id, email) values (%L, %L, %L)$s$, org, ec_tests.id('buyer', k), k || '_buyer@example.test')));
  perform ec_tests.keep('carts', k, ec_tests.insert_row('carts', format(
    $s$(organization_id, customer_id) values (%L, %L)$s$, org, ec_tests.id('customers', k))));
  perform ec_tests.keep('cart_items', k, ec_tests.insert_row('cart_items', format(
    $s$(organization_id, cart_id, variant_id, quantity) values (%L, %L, %L, 1)$s$, org, ec_tests.id('carts', k), ec_tests.id('product_variants', k))));
  perform ec_tests.keep('coupons', k, ec_tests.insert_row('coupons', format(
    $s$(organization_id, code, percent_off, usage_limit) values (%L, 'TENOFF', 10, 5)$s$, org)));
  placed := ec_tests.keep('orders', k, ec_tests.insert_row('orders', format(
    $s$(organization_id, customer_id) values (%L, %L)$s$, org, ec_tests.id('customers', k))));
  perform ec_tests.keep('order_items', k, ec_tests.insert_row('order_items', format(
    $s$(organization_id, order_id, variant_id, quantity) values (%L, %L, %L, 2)$s$, org, placed, ec_tests.id('product_variants', k))));
  perform ec_tests.keep('coupon_redemptions', k, ec_tests.insert_row('coupon_redemptions', format(
    $s$(organization_id, coupon_id, order_id, customer_id) values (%L, %L, %L, %L)$s$, org, ec_tests.id('coupons', k), placed, ec_tests.id('customers', k))));
  perform ec_tests.keep('payments', k, ec_tests.insert_row('payments', format(
    $s$(organization_id, order_id, amount_cents, status) values (%L, %L, 1800, 'succeeded')$s$, org, placed)));
  perform ec_tests.keep('shipments', k, ec_tests.insert_row('shipments', format(
    $s$(organization_id, order_id, carrier) values (%L, %L, 'Post')$s$, org, placed)));
  perform ec_tests.keep('returns', k, ec_tests.insert_row('returns', format(
    $s$(organization_id, order_id, reason) values (%L, %L, 'Too small')$s$, org, placed)));
  perform ec_tests.keep('return2', k, ec_tests.insert_row('returns', format(
    $s$(organization_id, order_id, reason) values (%L, %L, 'Wrong colour')$s$, org, placed)));
  perform ec_tests.keep('return_items', k, ec_tests.insert_row('return_items', format(
    $s$(organization_id, return_id, order_item_id, quantity) values (%L, %L, %L, 1)$s$, org, ec_tests.id('returns', k), ec_tests.id('order_items', k))));
  perform ec_tests.keep('refunds', k, ec_tests.insert_row('refunds', format(
    $s$(organization_id, payment_id, return_id, amount_cents) values (%L, %L, %L, 900)$s$, org, ec_tests.id('payments', k), ec_tests.id('returns', k))));
  perform ec_tests.keep('reviews', k, ec_tests.insert_row('reviews', format(
    $s$(organization_id, product_id, customer_id, rating) values (%L, %L, %L, 4)$s$, org, ec_tests.id('products', k), ec_tests.id('customers', k))));
end;
$$;

-- ec_tests.count_undone(statement) -> integer: rows the statement changes as the current role,
-- rolled back at once (a subtransaction), so a suite proves a write without keeping it.
create function ec_tests.count_undone(statement text) returns integer
language plpgsql set search_path = '' as $$
declare
  changed integer;
begin
  begin
    execute count_undone.statement;
    get diagnostics changed = row_count;
    raise exception using errcode = 'EC000', message = 'undo';
  exception when sqlstate 'EC000' then
    return changed;
  end;
end;
$$;

create function ec_tests.act_as(handle text) returns void
language plpgsql set search_path = '' as $$
begin
  execute 'reset role';
  if act_as.handle = 'anon' then perform tests.authenticate_as_anon();
  elsif act_as.handle is not null then perform tests.authenticate_as(act_as.handle);
  end if;
end;
$$;

-- ec_tests.check_table(table, writer, insert) -> 15 assertions on one table of store 'a'
-- against store 'b': a's member reads a and never reads, changes or writes into b; a's viewer
-- reads and never writes; the outsider reads nothing; anon is refused. Then the table's writer
-- ('member', 'admin', 'buyer' or 'nobody') inserts, updates and deletes in a, and the persona
-- just below it cannot insert. `insert` is the rest of an INSERT with %1$L the store's id and
-- %2$L its slug.
create function ec_tests.check_table(table_name text, writer text, insert text) returns setof text
language plpgsql set search_path = public, extensions as $$
declare
  t text := format('public.%I', check_table.table_name);
  rls text := format('new row violates row-level security policy for table "%s"', check_table.table_name);
  into_a text := format('insert into %s %s', t, format(check_table.insert, ec_tests.id('org', 'a'), 'a'));
  into_b text := format('insert into %s %s', t, format(check_table.insert, ec_tests.id('org', 'b'), 'b'));
  in_a text := format('where organization_id = %L', ec_tests.id('org', 'a'));
  in_b text := format('where organization_id = %L', ec_tests.id('org', 'b'));
  persona text := case check_table.writer when 'nobody' then 'a_owner' when 'buyer' then 'a_buyer' else 'a_' || check_table.writer end;
  below text := case check_table.writer when 'member' then 'a_viewer' when 'admin' then 'a_member' when 'buyer' then 'a_member' else 'a_admin' end;
  added uuid;
begin
  perform ec_tests.act_as('a_member');
  return next ok(tests.count_rows(t::regclass, 'a') >= 1, format('%s: a member of a reads a''s rows', t));
  return next is(tests.count_rows(t::regclass, 'b'), 0, format('%s: a member of a reads none of b''s', t));
  return next is(tests.count_changed(format('update %s set updated_at = now() %s', t, in_b)), 0, format('%s: a member of a updates none of b''s', t));
  return next is(tests.count_changed(format('delete from %s %s', t, in_b)), 0, format('%s: a member of a deletes none of b''s', t));
  return next throws_ok(into_b, '42501', rls, format('%s: a member of a cannot insert into b', t));
  perform ec_tests.act_as('a_viewer');
  return next ok(tests.count_rows(t::regclass, 'a') >= 1, format('%s: a viewer of a reads a''s rows', t));
  return next throws_ok(into_a, '42501', rls, format('%s: a viewer of a cannot insert', t));
  return next is(tests.count_changed(format('update %s set updated_at = now() %s', t, in_a)), 0, format('%s: a viewer of a updates nothing', t));
  return next is(tests.count_changed(format('delete from %s %s', t, in_a)), 0, format('%s: a viewer of a deletes nothing', t));
  perform ec_tests.act_as('outsider');
  return next is(tests.count_rows(t::regclass, 'a'), 0, format('%s: the outsider reads nothing', t));
  perform ec_tests.act_as('anon');
  return next throws_ok(format('select 1 from %s', t), '42501', format('permission denied for table %s', check_table.table_name), format('%s: anon is refused', t));
  perform ec_tests.act_as(persona);
  if check_table.writer = 'nobody' then
    return next throws_ok(into_a, '42501', rls, format('%s: not even a''s owner inserts', t));
    return next is(tests.count_changed(format('update %s set updated_at = now() %s', t, in_a)), 0, format('%s: not even a''s owner updates', t));
    return next is(tests.count_changed(format('delete from %s %s', t, in_a)), 0, format('%s: not even a''s owner deletes', t));
  else
    execute into_a || ' returning id' into added;
    return next isnt(added, null, format('%s: %s inserts into a', t, persona));
    return next ok(ec_tests.count_undone(format('update %s set updated_at = now() %s', t, in_a)) >= 1, format('%s: %s updates a''s rows', t, persona));
    return next is(tests.count_changed(format('delete from %s where id = %L', t, added)), 1, format('%s: %s deletes a''s row', t, persona));
  end if;
  perform ec_tests.act_as(below);
  return next throws_ok(into_a, '42501', rls, format('%s: %s cannot insert', t, below));
  perform ec_tests.act_as(null);
end;
$$;
grant execute on all functions in schema ec_tests to anon, authenticated, service_role;
grant select on ec_tests.fixtures to anon, authenticated, service_role;
