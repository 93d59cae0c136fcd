-- orgstack:object trigger comments_check_api_key_scope on public.comments
-- orgstack:requires function saas.trigger_check_api_key_scope()
-- An API key writes comments only with the scope 'comments:write'.
create trigger comments_check_api_key_scope
  before insert or update or delete on public.comments
  for each row execute function saas.trigger_check_api_key_scope('comments:write');
