-- orgstack:object trigger tasks_set_completed_at on public.tasks
-- orgstack:requires function saas.trigger_set_completed_at()
-- completed_at follows status, never trusted from the client.
create trigger tasks_set_completed_at
  before insert or update of status on public.tasks
  for each row execute function saas.trigger_set_completed_at();
