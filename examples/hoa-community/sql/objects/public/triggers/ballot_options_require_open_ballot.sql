-- orgstack:object trigger ballot_options_require_open_ballot on public.ballot_options
-- orgstack:requires function public.trigger_require_open_ballot()
-- Named to fire after ballot_options_guard_references (BEFORE triggers run in name order): the
-- ballot it reads is then known to be this community's, so its refusal reveals nothing else.
create trigger ballot_options_require_open_ballot
  before insert or update or delete on public.ballot_options
  for each row execute function public.trigger_require_open_ballot();
