-- orgstack:object function public.trigger_set_line_price()
-- Trigger function on order_items (before insert or update): the line's unit price is its
-- variant's price when the line is written (kept when only the quantity changes), whatever the
-- client sent, and only a variant of an active product is sold: a draft or archived one's id,
-- known to a buyer, buys nothing (55000). Security definer so a customer's line reads the price without reading the
-- catalog. Callers: the order_items_set_price trigger only.
create or replace function public.trigger_set_line_price()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  product_status text;
begin
  if tg_op = 'UPDATE' and new.variant_id = old.variant_id then
    new.unit_price_cents := old.unit_price_cents;
    return new;
  end if;
  select v.price_cents, p.status into new.unit_price_cents, product_status
    from public.product_variants v join public.products p on p.id = v.product_id
   where v.id = new.variant_id;
  if product_status is distinct from 'active' then
    raise exception using
      errcode = '55000',
      message = format('Variant %s is not for sale: its product is %s.', new.variant_id, coalesce(product_status, 'missing')),
      hint = 'Sell variants of active products only; set the product''s status to active first.';
  end if;
  return new;
end;
$$;
revoke execute on function public.trigger_set_line_price() from public;
