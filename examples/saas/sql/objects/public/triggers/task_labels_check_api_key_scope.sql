-- orgstack:object trigger task_labels_check_api_key_scope on public.task_labels
-- orgstack:requires function saas.trigger_check_api_key_scope()
-- An API key writes task_labels only with the scope 'tasks:write'.
create trigger task_labels_check_api_key_scope
  before insert or update or delete on public.task_labels
  for each row execute function saas.trigger_check_api_key_scope('tasks:write');
