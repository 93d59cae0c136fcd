-- orgstack:object function public.trigger_reserve_stock()
-- Trigger function on order_items (before insert, update, delete): takes the line's quantity
-- out of its variant's inventory, or puts it back. The decrement is one conditional UPDATE:
-- concurrent buyers of the last items queue on the inventory row's lock, and each re-reads
-- `available` after the one before commits, so a sale either fits the stock left or fails
-- (23514); the inventory_available_not_negative check stands behind it. Security definer:
-- the writer needs no right on inventory. Callers: the order_items_reserve_stock trigger only.
create or replace function public.trigger_reserve_stock()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  left_over integer;
begin
  -- A line deleted with its order (the cascade: the order is gone) was put back, if pending,
  -- by orders_release_stock; a cancelled or sold order's lines are not stock again.
  if tg_op = 'UPDATE' or (tg_op = 'DELETE' and exists (select 1 from public.orders o where o.id = old.order_id)) then
    update public.inventory i set available = i.available + old.quantity where i.variant_id = old.variant_id;
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  update public.inventory i set available = i.available - new.quantity
   where i.variant_id = new.variant_id and i.available >= new.quantity
  returning i.available into left_over;
  if not found then
    select i.available into left_over from public.inventory i where i.variant_id = new.variant_id;
    raise exception using
      errcode = '23514',
      message = format('Out of stock: variant %s has %s left; %s requested.', new.variant_id, coalesce(left_over, 0), new.quantity),
      hint = 'Lower the quantity or remove the line; stock is never oversold.';
  end if;
  return new;
end;
$$;
revoke execute on function public.trigger_reserve_stock() from public;
