-- orgstack:object trigger subscriptions_check_seats on public.subscriptions
-- orgstack:requires function saas.trigger_check_subscription()
-- seat_quantity within the plan's maximum and not below the seats taken.
create trigger subscriptions_check_seats
  before insert or update on public.subscriptions
  for each row execute function saas.trigger_check_subscription();
