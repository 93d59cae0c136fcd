-- orgstack:object trigger coupon_redemptions_touch_order on public.coupon_redemptions
-- orgstack:requires function public.trigger_touch_order()
-- A coupon redeemed on an order makes the order recompute its discount.
create trigger coupon_redemptions_touch_order
  after insert or update or delete on public.coupon_redemptions
  for each row execute function public.trigger_touch_order();
