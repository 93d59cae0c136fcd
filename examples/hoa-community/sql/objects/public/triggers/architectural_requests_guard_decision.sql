-- orgstack:object trigger architectural_requests_guard_decision on public.architectural_requests
-- orgstack:requires function public.trigger_guard_architectural_decision()
create trigger architectural_requests_guard_decision
  before insert or update on public.architectural_requests
  for each row execute function public.trigger_guard_architectural_decision();
