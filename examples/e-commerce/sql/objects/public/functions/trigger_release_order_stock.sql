-- orgstack:object function public.trigger_release_order_stock()
-- Trigger function on orders (before delete): a pending order deleted puts its lines' stock
-- back, once; the lines' own trigger then sees the order gone and leaves inventory alone. A
-- cancelled order already put its stock back, and a paid, fulfilled or refunded one sold it,
-- so deleting them changes no stock. Security definer: the one deleting need not write
-- inventory. Callers: the orders_release_stock trigger only.
create or replace function public.trigger_release_order_stock()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.status = 'pending' then
    update public.inventory i set available = i.available + l.quantity
      from public.order_items l where l.order_id = old.id and i.variant_id = l.variant_id;
  end if;
  return old;
end;
$$;
revoke execute on function public.trigger_release_order_stock() from public;
