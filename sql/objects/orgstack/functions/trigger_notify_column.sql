-- orgstack:object function orgstack.trigger_notify_column()
-- Trigger function: notifies the user named in a column when a row is inserted with that
-- column set, or when the column changes to them (an assignee, say). Arguments: the column,
-- the notification type, and the column whose value titles the notification. The actor is
-- not notified of their own change. Security definer: writers cannot write notifications.
-- Only a member of the row's organization is ever notified: naming anyone else raises, for
-- every role, so a writer cannot send their text to another organization's user or to a user
-- in none. For API users the tables' policies refuse such a row first; this also holds for
-- the service role and the tables' owner, which bypass row-level security.
create or replace function orgstack.trigger_notify_column()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  new_data jsonb := to_jsonb(new);
  recipient uuid := (new_data ->> tg_argv[0])::uuid;
  organization uuid := (new_data ->> 'organization_id')::uuid;
begin
  if recipient is null
     or (tg_op = 'UPDATE' and recipient is not distinct from (to_jsonb(old) ->> tg_argv[0])::uuid) then
    return null;
  end if;
  if not exists (
    select 1 from public.organization_members m
     where m.organization_id = organization and m.user_id = recipient
  ) then
    raise exception using
      errcode = '42501',
      message = format('%I.%I: %I %s is not a member of organization %s.',
                       tg_table_schema, tg_table_name, tg_argv[0], recipient, organization),
      hint = 'Name a member of the row''s organization, or add the user to the organization first.';
  end if;
  if recipient is not distinct from auth.uid() then
    return null;
  end if;
  insert into public.notifications (user_id, organization_id, type, title, data)
  values (
    recipient,
    organization,
    tg_argv[1],
    coalesce(left(new_data ->> tg_argv[2], 200), tg_table_name),
    jsonb_build_object('table', tg_table_schema || '.' || tg_table_name, 'id', new_data ->> 'id', 'by', auth.uid())
  );
  return null;
end;
$$;
revoke execute on function orgstack.trigger_notify_column() from public;
