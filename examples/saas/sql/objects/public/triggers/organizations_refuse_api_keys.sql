-- orgstack:object trigger organizations_refuse_api_keys on public.organizations
-- orgstack:requires function saas.trigger_refuse_api_key_workspace()
-- An API key never creates a workspace: it acts only inside its own.
create trigger organizations_refuse_api_keys
  before insert on public.organizations
  for each row execute function saas.trigger_refuse_api_key_workspace();
