-- orgstack:object trigger comments_enqueue_webhooks on public.comments
-- orgstack:requires function saas.trigger_enqueue_webhooks()
-- comment.created goes to the workspace's webhooks through the job queue.
create trigger comments_enqueue_webhooks
  after insert on public.comments
  for each row execute function saas.trigger_enqueue_webhooks();
