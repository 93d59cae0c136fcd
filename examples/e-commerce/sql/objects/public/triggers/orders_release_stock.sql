-- orgstack:object trigger orders_release_stock on public.orders
-- orgstack:requires function public.trigger_release_order_stock()
-- A deleted pending order's stock goes back once; a cancelled or sold order's does not.
create trigger orders_release_stock
  before delete on public.orders
  for each row execute function public.trigger_release_order_stock();
