-- orgstack:object function audit.trigger_record_change()
-- Trigger function: one public.audit_logs row per inserted, updated or deleted row. Records
-- the organization, the actor (auth.uid(), and the JWT role or else the database role for
-- service work), the action, the table, the record id, and the row as jsonb: the new row on
-- INSERT, the old row on DELETE, only the changed columns on UPDATE. IP address and user agent
-- come from PostgREST's request.headers when present. Trigger arguments name columns never to
-- record (secrets, large blobs, derived counters); an update of only those records nothing. Security definer: API roles cannot write audit_logs.
-- Callers: AFTER INSERT OR UPDATE OR DELETE row triggers `<table>_record_change`.
create or replace function audit.trigger_record_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  excluded text[] := coalesce(tg_argv::text[], '{}'); -- tg_argv is null when the trigger has no arguments
  new_full jsonb;
  old_full jsonb;
  new_row jsonb;
  old_row jsonb;
  row_data jsonb;
  headers jsonb;
  forwarded_for text;
  client_ip inet;
begin
  if tg_op <> 'DELETE' then new_full := to_jsonb(new); new_row := new_full - excluded; end if;
  if tg_op <> 'INSERT' then old_full := to_jsonb(old); old_row := old_full - excluded; end if;
  if tg_op = 'UPDATE' then
    select jsonb_object_agg(n.key, n.value), jsonb_object_agg(n.key, old_row -> n.key)
      into new_row, old_row
      from jsonb_each(new_row) n
     where n.value is distinct from old_row -> n.key;
    if new_row is null then
      return null; -- only excluded columns changed (a counter, updated_at): nothing to record
    end if;
  end if;
  row_data := coalesce(new_full, old_full);

  headers := nullif(current_setting('request.headers', true), '')::jsonb;
  if headers is not null then
    forwarded_for := btrim(split_part(coalesce(headers ->> 'x-forwarded-for', headers ->> 'x-real-ip', ''), ',', 1));
    if forwarded_for ~ '^[0-9A-Fa-f:.]{2,45}$' then
      begin
        client_ip := forwarded_for::inet;
      exception when invalid_text_representation then
        client_ip := null; -- a malformed header must never block the write it describes
      end;
    end if;
  end if;

  insert into public.audit_logs
    (organization_id, actor_id, actor_role, action, table_name, record_id, old_data, new_data, ip_address, user_agent)
  values (
    case when tg_table_name = 'organizations' and tg_table_schema = 'public'
         then (row_data ->> 'id')::uuid else (row_data ->> 'organization_id')::uuid end,
    auth.uid(),
    coalesce(auth.role(), current_user),
    tg_op,
    tg_table_schema || '.' || tg_table_name,
    coalesce(row_data ->> 'id', (row_data ->> 'organization_id') || '/' || (row_data ->> 'user_id')),
    old_row,
    new_row,
    client_ip,
    headers ->> 'user-agent'
  );
  return null;
end;
$$;
revoke execute on function audit.trigger_record_change() from public;
