-- orgstack:object function saas.trigger_check_api_key_scope()
-- Trigger function (BEFORE INSERT OR UPDATE OR DELETE, argument: the scope, e.g. 'tasks:write'):
-- a request made with an API key (claims carry api_key_id, set by public.authenticate_api_key)
-- writes the table only if the key holds that scope. Requests of signed-in users are not keys
-- and pass, and so do writes made by triggers and security definer functions beneath the
-- request's own statement (a counter on projects, a cascade), which are the platform's
-- bookkeeping, not the key's choice. Security invoker: it reads only the request's own claims. Callers: the triggers.
create or replace function saas.trigger_check_api_key_scope()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
begin
  if claims ? 'api_key_id' and current_user = 'authenticated' and pg_catalog.pg_trigger_depth() = 1
     and not coalesce(claims -> 'scopes' ? tg_argv[0], false) then
    raise exception using errcode = '42501',
      message = format('This API key lacks the scope %L, needed to %s %I.%I.', tg_argv[0], lower(tg_op), tg_table_schema, tg_table_name),
      hint = format('Create a key with the scope %L.', tg_argv[0]);
  end if;
  return case tg_op when 'DELETE' then old else new end;
end;
$$;
revoke execute on function saas.trigger_check_api_key_scope() from public;
