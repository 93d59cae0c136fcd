-- orgstack:object trigger order_items_pending_order_only on public.order_items
-- orgstack:requires function public.trigger_guard_order_lines()
-- Lines of an order change only while it is pending. Named to fire after
-- order_items_guard_references (BEFORE triggers run in name order), so the order it reads is
-- known to be this store's and its refusal never names another store's order or status; and
-- before order_items_reserve_stock.
create trigger order_items_pending_order_only
  before insert or update or delete on public.order_items
  for each row execute function public.trigger_guard_order_lines();
