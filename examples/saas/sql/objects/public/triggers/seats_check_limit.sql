-- orgstack:object trigger seats_check_limit on public.seats
-- orgstack:requires function saas.trigger_check_seat_limit()
-- The seat limit, checked under the workspace's lock (see saas.trigger_check_seat_limit).
create trigger seats_check_limit
  before insert on public.seats
  for each row execute function saas.trigger_check_seat_limit();
