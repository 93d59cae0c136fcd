-- orgstack:object trigger votes_require_open_ballot on public.votes
-- orgstack:requires function public.trigger_require_open_ballot()
-- Named to fire after votes_guard_references (BEFORE triggers run in name order): the
-- ballot it reads is then known to be this community's, so its refusal reveals nothing else.
create trigger votes_require_open_ballot
  before insert or update or delete on public.votes
  for each row execute function public.trigger_require_open_ballot();
