-- orgstack:object trigger order_items_guard_lines on public.order_items
-- orgstack:requires function public.trigger_guard_order_lines()
-- Lines of an order change only while it is pending. Fires first (name order).
create trigger order_items_guard_lines
  before insert or update or delete on public.order_items
  for each row execute function public.trigger_guard_order_lines();
