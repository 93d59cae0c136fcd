-- orgstack:object function public.trigger_derive_order_totals()
-- Trigger function on orders (before insert or update): subtotal is the sum of the order's
-- lines, discount comes from its coupon redemption (a percentage rounded down, or a fixed
-- amount, never more than the subtotal), total is their difference. Whatever a client, the
-- service role or the table's owner writes into these columns is replaced. Security definer:
-- it reads lines and coupons the writer may not see. Callers: the orders_derive_totals trigger.
create or replace function public.trigger_derive_order_totals()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  select coalesce(sum(i.line_total_cents), 0) into new.subtotal_cents
    from public.order_items i where i.order_id = new.id;
  select coalesce(min(least(new.subtotal_cents,
           coalesce(c.amount_off_cents, new.subtotal_cents * c.percent_off / 100))), 0)
    into new.discount_cents
    from public.coupon_redemptions r join public.coupons c on c.id = r.coupon_id
   where r.order_id = new.id;
  new.total_cents := new.subtotal_cents - new.discount_cents;
  return new;
end;
$$;
revoke execute on function public.trigger_derive_order_totals() from public;
