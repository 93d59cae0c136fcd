-- orgstack:object trigger orders_derive_totals on public.orders
-- orgstack:requires function public.trigger_derive_order_totals()
-- Subtotal, discount and total are derived on every write of the order.
create trigger orders_derive_totals
  before insert or update on public.orders
  for each row execute function public.trigger_derive_order_totals();
