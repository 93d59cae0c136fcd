-- orgstack:object trigger tasks_keep_creator on public.tasks
-- orgstack:requires function saas.trigger_keep_creator()
-- created_by is the requester on insert and never changes on an API request.
create trigger tasks_keep_creator
  before insert or update of created_by on public.tasks
  for each row execute function saas.trigger_keep_creator();
