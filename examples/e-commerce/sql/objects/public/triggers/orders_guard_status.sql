-- orgstack:object trigger orders_guard_status on public.orders
-- orgstack:requires function public.trigger_guard_order_status()
-- Orders move only forward; cancelling puts the stock back and fails the pending charge.
create trigger orders_guard_status
  before update of status on public.orders
  for each row execute function public.trigger_guard_order_status();
