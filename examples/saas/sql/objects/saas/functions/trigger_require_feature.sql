-- orgstack:object function saas.trigger_require_feature()
-- orgstack:requires function public.is_feature_enabled(uuid, text)
-- orgstack:requires function orgstack.is_member(uuid)
-- Trigger function (BEFORE INSERT, argument: the feature, e.g. 'webhooks'): a workspace adds
-- rows of a paid feature only while its plan or a flag enables it. A signed-in user outside the
-- workspace is left to row-level security, so the refusal they get says nothing about the
-- workspace's plan. Callers: the triggers.
create or replace function saas.trigger_require_feature()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not public.is_feature_enabled(new.organization_id, tg_argv[0])
     and ((select auth.role()) is distinct from 'authenticated' or orgstack.is_member(new.organization_id)) then
    raise exception using errcode = '42501',
      message = format('Workspace %s does not have the feature %L.', new.organization_id, tg_argv[0]),
      hint = 'Upgrade the plan (Team or Business include it).';
  end if;
  return new;
end;
$$;
revoke execute on function saas.trigger_require_feature() from public;
