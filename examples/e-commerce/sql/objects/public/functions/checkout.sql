-- orgstack:object function public.checkout(uuid, text, text)
-- orgstack:requires function public.redeem_coupon(public.orders, text)
-- checkout(cart_id, idempotency_key, coupon_code) -> public.orders: turns an open cart into a
-- pending order with one charge, all or nothing. The same key returns the order it placed and
-- changes nothing (concurrent calls with one key queue on a transaction lock of the key).
-- Prices come from the variants and totals are derived (order triggers); stock is taken by
-- order_items_reserve_stock, never below zero. Callers: authenticated, as the cart's customer
-- or a member (member and above) of its store. Errors: P0002 no such cart for the caller;
-- 22023 a bad key or coupon; 23505 the key placed another cart's order; 55000 the cart is not
-- open or is empty; 23514 out of stock or the coupon used up.
create or replace function public.checkout(cart_id uuid, idempotency_key text, coupon_code text default null)
returns public.orders
language plpgsql
security definer
set search_path = ''
as $$
declare
  cart public.carts;
  placed public.orders;
begin
  if checkout.idempotency_key is null or length(checkout.idempotency_key) not between 8 and 200 then
    raise exception using errcode = '22023',
      message = 'Idempotency-Key: expected 8 to 200 characters identifying this checkout attempt.',
      hint = 'Send a new random key (a UUID) per checkout, and the same key when retrying it.';
  end if;
  select k.* into cart from public.carts k where k.id = checkout.cart_id for update;
  if not found or not (orgstack.has_role(cart.organization_id, 'member') or exists (
      select 1 from public.customers c where c.id = cart.customer_id and c.user_id = (select auth.uid()))) then
    raise exception using errcode = 'P0002',
      message = format('cartId: cart %s does not exist or is not yours.', checkout.cart_id),
      hint = 'Check out a cart of your own, in a store where you are a customer.';
  end if;
  perform pg_advisory_xact_lock(hashtextextended(cart.organization_id::text || '/' || checkout.idempotency_key, 0));
  select o.* into placed from public.orders o
   where o.organization_id = cart.organization_id and o.idempotency_key = checkout.idempotency_key;
  if found and placed.cart_id is not distinct from cart.id then
    return placed;
  elsif found then
    raise exception using errcode = '23505',
      message = format('Idempotency-Key: %s already placed order %s for another cart.', checkout.idempotency_key, placed.id),
      hint = 'Use a new key for a new checkout.';
  elsif cart.status <> 'open' or not exists (select 1 from public.cart_items i where i.cart_id = cart.id) then
    raise exception using errcode = '55000',
      message = format('cartId: cart %s is %s; only an open cart with items is checked out.', cart.id,
                       case when cart.status = 'open' then 'empty' else cart.status end),
      hint = 'Retry with the key that placed its order to get that order, or fill a new cart.';
  end if;
  insert into public.orders (organization_id, customer_id, cart_id, idempotency_key)
  values (cart.organization_id, cart.customer_id, cart.id, checkout.idempotency_key)
  returning * into placed;
  -- In variant order: checkouts sharing variants lock their inventory rows in one order.
  insert into public.order_items (organization_id, order_id, variant_id, quantity)
  select i.organization_id, placed.id, i.variant_id, i.quantity
    from public.cart_items i where i.cart_id = cart.id order by i.variant_id;
  if checkout.coupon_code is not null then
    perform public.redeem_coupon(placed, checkout.coupon_code);
  end if;
  update public.carts k set status = 'checked_out' where k.id = cart.id;
  select o.* into placed from public.orders o where o.id = placed.id;
  if placed.total_cents > 0 then
    insert into public.payments (organization_id, order_id, amount_cents)
    values (placed.organization_id, placed.id, placed.total_cents);
  end if;
  return placed;
end;
$$;
revoke execute on function public.checkout(uuid, text, text) from public, anon;
grant execute on function public.checkout(uuid, text, text) to authenticated;
