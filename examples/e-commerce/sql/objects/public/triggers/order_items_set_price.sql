-- orgstack:object trigger order_items_set_price on public.order_items
-- orgstack:requires function public.trigger_set_line_price()
-- The unit price is the variant's, never the client's.
create trigger order_items_set_price
  before insert or update on public.order_items
  for each row execute function public.trigger_set_line_price();
