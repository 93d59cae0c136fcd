-- orgstack:object trigger refunds_check_amount on public.refunds
-- orgstack:requires function public.trigger_check_refund_amount()
-- Refunds of a payment never exceed what it took.
create trigger refunds_check_amount
  before insert or update on public.refunds
  for each row execute function public.trigger_check_refund_amount();
