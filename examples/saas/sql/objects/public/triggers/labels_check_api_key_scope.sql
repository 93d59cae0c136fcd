-- orgstack:object trigger labels_check_api_key_scope on public.labels
-- orgstack:requires function saas.trigger_check_api_key_scope()
-- An API key writes labels only with the scope 'labels:write'.
create trigger labels_check_api_key_scope
  before insert or update or delete on public.labels
  for each row execute function saas.trigger_check_api_key_scope('labels:write');
