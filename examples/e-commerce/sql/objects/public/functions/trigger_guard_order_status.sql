-- orgstack:object function public.trigger_guard_order_status()
-- Trigger function on orders (before update of status): an order moves only forward, pending ->
-- paid or cancelled, paid -> fulfilled or refunded, fulfilled -> refunded. Cancelling a pending
-- order puts its lines' stock back and fails its pending charge, so nothing stays reserved or
-- chargeable. Security definer: the one cancelling need not write inventory or payments.
-- Callers: the orders_guard_status trigger only.
create or replace function public.trigger_guard_order_status()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status is not distinct from old.status then
    return new;
  end if;
  if not (old.status, new.status) in (('pending', 'paid'), ('pending', 'cancelled'), ('paid', 'fulfilled'),
                                      ('paid', 'refunded'), ('fulfilled', 'refunded')) then
    raise exception using
      errcode = '55000',
      message = format('Order %s cannot go from %s to %s.', new.id, old.status, new.status),
      hint = 'Orders move pending -> paid or cancelled, paid -> fulfilled or refunded, fulfilled -> refunded.';
  end if;
  if new.status = 'cancelled' then
    update public.inventory i set available = i.available + l.quantity
      from public.order_items l where l.order_id = new.id and i.variant_id = l.variant_id;
    update public.payments p set status = 'failed' where p.order_id = new.id and p.status = 'pending';
  end if;
  return new;
end;
$$;
revoke execute on function public.trigger_guard_order_status() from public;
