-- orgstack:object function public.trigger_touch_order()
-- Trigger function (after insert, update or delete of order_items and coupon_redemptions):
-- touches the parent order, so orders_derive_totals recomputes its totals. Security definer:
-- the writer of a line need not be allowed to update the order. Callers: triggers only.
create or replace function public.trigger_touch_order()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    update public.orders o set updated_at = now() where o.id = old.order_id;
  end if;
  if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.order_id is distinct from old.order_id) then
    update public.orders o set updated_at = now() where o.id = new.order_id;
  end if;
  return null;
end;
$$;
revoke execute on function public.trigger_touch_order() from public;
