-- orgstack:object trigger order_items_reserve_stock on public.order_items
-- orgstack:requires function public.trigger_reserve_stock()
-- Takes a line's quantity from inventory (puts it back on delete): never oversold.
create trigger order_items_reserve_stock
  before insert or update of variant_id, quantity or delete on public.order_items
  for each row execute function public.trigger_reserve_stock();
