-- orgstack:object trigger api_keys_delete_service_account on public.api_keys
-- orgstack:requires function saas.trigger_delete_service_account()
-- A deleted key's service account and membership go with it.
create trigger api_keys_delete_service_account
  after delete on public.api_keys
  for each row execute function saas.trigger_delete_service_account();
