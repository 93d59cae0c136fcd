-- orgstack:object function saas.trigger_enqueue_webhooks()
-- orgstack:requires function ops.enqueue_job(text, jsonb, timestamptz, integer)
-- orgstack:requires function public.is_feature_enabled(uuid, text)
-- Trigger function on public.tasks (AFTER INSERT OR UPDATE) and public.comments (AFTER INSERT):
-- for each active webhook of the row's workspace subscribed to the event, a webhook_deliveries
-- row and a 'webhook.deliver' job on the platform's queue (ops.jobs), which the worker sends,
-- retries with backoff and finally marks dead. In the writing transaction: a rolled-back task
-- sends nothing. Only while the plan includes webhooks: a workspace that downgrades keeps its
-- webhooks but they send nothing until it upgrades again. Security definer: members write
-- neither deliveries nor jobs.
create or replace function saas.trigger_enqueue_webhooks()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  event text := 'task.updated';
  hook record;
  delivery uuid;
begin
  -- One branch per table: PL/pgSQL resolves new.status only where the row has it.
  if tg_table_name = 'comments' then
    event := 'comment.created';
  elsif tg_op = 'INSERT' then
    event := 'task.created';
  elsif new.status = 'done' and old.status <> 'done' then
    event := 'task.completed';
  end if;
  if not public.is_feature_enabled(new.organization_id, 'webhooks') then
    return null;
  end if;
  for hook in select w.id from public.webhooks w
               where w.organization_id = new.organization_id and w.active and event = any (w.events) loop
    insert into public.webhook_deliveries (organization_id, webhook_id, event, payload)
    values (new.organization_id, hook.id, event,
            jsonb_build_object('event', event, 'occurred_at', now(), 'data', to_jsonb(new)))
    returning id into delivery;
    update public.webhook_deliveries d
       set job_id = ops.enqueue_job('webhook.deliver', jsonb_build_object('delivery_id', delivery))
     where d.id = delivery;
  end loop;
  return null;
end;
$$;
revoke execute on function saas.trigger_enqueue_webhooks() from public;
