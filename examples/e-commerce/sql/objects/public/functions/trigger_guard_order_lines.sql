-- orgstack:object function public.trigger_guard_order_lines()
-- Trigger function on order_items (before insert, update, delete): an order's lines change
-- only while it is pending. A line whose order is gone is being deleted with it (a cascade)
-- and passes. Security definer: it reads the order whoever writes. Callers: the
-- order_items_pending_order_only trigger only.
create or replace function public.trigger_guard_order_lines()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  line public.order_items := case when tg_op = 'DELETE' then old else new end;
  order_status text;
begin
  select o.status into order_status from public.orders o where o.id = line.order_id;
  if (found or tg_op <> 'DELETE') and order_status is distinct from 'pending' then
    raise exception using
      errcode = '55000',
      message = format('Order %s is %s: its lines no longer change.', line.order_id, coalesce(order_status, 'missing')),
      hint = 'Only a pending order''s lines are added, changed or removed; record a return instead.';
  end if;
  return line;
end;
$$;
revoke execute on function public.trigger_guard_order_lines() from public;
