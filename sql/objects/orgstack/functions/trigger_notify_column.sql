-- orgstack:object function orgstack.trigger_notify_column()
-- Trigger function: notifies the user named in a column when a row is inserted with that
-- column set, or when the column changes to them (an assignee, say). Arguments: the column,
-- the notification type, and the column whose value titles the notification. The actor is
-- not notified of their own change. Security definer: writers cannot write notifications.
create or replace function orgstack.trigger_notify_column()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  new_data jsonb := to_jsonb(new);
  recipient uuid := (new_data ->> tg_argv[0])::uuid;
begin
  if recipient is null
     or recipient is not distinct from auth.uid()
     or (tg_op = 'UPDATE' and recipient is not distinct from (to_jsonb(old) ->> tg_argv[0])::uuid) then
    return null;
  end if;
  insert into public.notifications (user_id, organization_id, type, title, data)
  values (
    recipient,
    (new_data ->> 'organization_id')::uuid,
    tg_argv[1],
    coalesce(left(new_data ->> tg_argv[2], 200), tg_table_name),
    jsonb_build_object('table', tg_table_schema || '.' || tg_table_name, 'id', new_data ->> 'id', 'by', auth.uid())
  );
  return null;
end;
$$;
revoke execute on function orgstack.trigger_notify_column() from public;
