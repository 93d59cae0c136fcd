-- orgstack:object function public.redeem_coupon(public.orders, text)
-- redeem_coupon(placed, code): redeems the store's coupon `code` on the order. The coupon row
-- is locked first, so concurrent checkouts with one code are counted one after the other and
-- the one past the usage limit is refused with a message (the coupons_usage_limit check on the
-- counter the redemption bumps stands behind it), as is a second use by one customer. Not granted to any API role: public.checkout
-- calls it as its owner.
create or replace function public.redeem_coupon(placed public.orders, code text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  coupon public.coupons;
begin
  select c.* into coupon from public.coupons c
   where c.organization_id = placed.organization_id and c.code = upper(btrim(redeem_coupon.code))
     for update;
  if not found or now() < coupon.starts_at or now() >= coupon.ends_at then
    raise exception using
      errcode = '22023',
      message = format('couponCode: %s is not a coupon of this store valid now.', redeem_coupon.code),
      hint = 'Check the code, or check out without it.';
  end if;
  if coupon.times_redeemed >= coupon.usage_limit then
    raise exception using
      errcode = '23514',
      message = format('couponCode: %s has reached its usage limit (%s).', coupon.code, coupon.usage_limit),
      hint = 'Check out without it.';
  end if;
  if exists (select 1 from public.coupon_redemptions r where r.coupon_id = coupon.id and r.customer_id = placed.customer_id) then
    raise exception using
      errcode = '23514',
      message = format('couponCode: %s was already used by this customer.', coupon.code),
      hint = 'A coupon is redeemed once per customer; check out without it.';
  end if;
  insert into public.coupon_redemptions (organization_id, coupon_id, order_id, customer_id)
  values (placed.organization_id, coupon.id, placed.id, placed.customer_id);
end;
$$;
revoke execute on function public.redeem_coupon(public.orders, text) from public, anon, authenticated, service_role;
