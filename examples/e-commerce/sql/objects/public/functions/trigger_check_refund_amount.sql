-- orgstack:object function public.trigger_check_refund_amount()
-- Trigger function on refunds (before insert or update): refunds of a payment never add up to
-- more than it took. The payment row is locked first, so two refunds at once are counted one
-- after the other. Security definer: it reads every refund of the payment. Callers: the
-- refunds_limit_amount trigger only.
create or replace function public.trigger_check_refund_amount()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  paid integer;
  refunded integer;
begin
  select p.amount_cents into paid from public.payments p
   where p.id = new.payment_id and p.status = 'succeeded' for update;
  if not found then
    raise exception using
      errcode = '55000',
      message = format('Payment %s has not succeeded: nothing to refund.', new.payment_id),
      hint = 'Refund a payment whose status is succeeded.';
  end if;
  select coalesce(sum(r.amount_cents), 0) into refunded from public.refunds r
   where r.payment_id = new.payment_id and r.id <> new.id;
  if refunded + new.amount_cents > paid then
    raise exception using
      errcode = '23514',
      message = format('Refunds of payment %s would total %s cents; it took %s.', new.payment_id, refunded + new.amount_cents, paid),
      hint = format('At most %s cents are left to refund.', paid - refunded);
  end if;
  return new;
end;
$$;
revoke execute on function public.trigger_check_refund_amount() from public;
