-- orgstack:object trigger projects_check_api_key_scope on public.projects
-- orgstack:requires function saas.trigger_check_api_key_scope()
-- An API key writes projects only with the scope 'projects:write'.
create trigger projects_check_api_key_scope
  before insert or update or delete on public.projects
  for each row execute function saas.trigger_check_api_key_scope('projects:write');
