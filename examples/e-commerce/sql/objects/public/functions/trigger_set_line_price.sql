-- orgstack:object function public.trigger_set_line_price()
-- Trigger function on order_items (before insert or update): the line's unit price is its
-- variant's price when the line is written (kept when only the quantity changes), whatever the
-- client sent. Security definer so a customer's line reads the price without reading the
-- catalog. Callers: the order_items_set_price trigger only.
create or replace function public.trigger_set_line_price()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and new.variant_id = old.variant_id then
    new.unit_price_cents := old.unit_price_cents;
  else
    select v.price_cents into new.unit_price_cents from public.product_variants v where v.id = new.variant_id;
  end if;
  return new;
end;
$$;
revoke execute on function public.trigger_set_line_price() from public;
