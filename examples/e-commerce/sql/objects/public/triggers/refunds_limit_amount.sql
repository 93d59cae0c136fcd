-- orgstack:object trigger refunds_limit_amount on public.refunds
-- orgstack:requires function public.trigger_check_refund_amount()
-- Refunds of a payment never exceed what it took. Named to fire after refunds_guard_references
-- (BEFORE triggers run in name order): the payment it locks and whose amounts its message
-- shows is then known to be this store's.
create trigger refunds_limit_amount
  before insert or update on public.refunds
  for each row execute function public.trigger_check_refund_amount();
