-- orgstack:object trigger tasks_enqueue_webhooks on public.tasks
-- orgstack:requires function saas.trigger_enqueue_webhooks()
-- Task events go to the workspace's webhooks through the job queue.
create trigger tasks_enqueue_webhooks
  after insert or update on public.tasks
  for each row execute function saas.trigger_enqueue_webhooks();
