-- orgstack:object trigger webhooks_require_feature on public.webhooks
-- orgstack:requires function saas.trigger_require_feature()
-- Webhooks are a paid feature: the plan or a flag must enable it.
create trigger webhooks_require_feature
  before insert on public.webhooks
  for each row execute function saas.trigger_require_feature('webhooks');
