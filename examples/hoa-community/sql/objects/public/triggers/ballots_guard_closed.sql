-- orgstack:object trigger ballots_guard_closed on public.ballots
-- orgstack:requires function public.trigger_guard_closed_ballot()
create trigger ballots_guard_closed
  before update or delete on public.ballots
  for each row execute function public.trigger_guard_closed_ballot();
