-- orgstack:object trigger order_items_touch_order on public.order_items
-- orgstack:requires function public.trigger_touch_order()
-- A line's change makes its order recompute its totals.
create trigger order_items_touch_order
  after insert or update or delete on public.order_items
  for each row execute function public.trigger_touch_order();
