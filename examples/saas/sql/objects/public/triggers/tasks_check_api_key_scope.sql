-- orgstack:object trigger tasks_check_api_key_scope on public.tasks
-- orgstack:requires function saas.trigger_check_api_key_scope()
-- An API key writes tasks only with the scope 'tasks:write'.
create trigger tasks_check_api_key_scope
  before insert or update or delete on public.tasks
  for each row execute function saas.trigger_check_api_key_scope('tasks:write');
