-- orgstack:object function public.is_feature_enabled(uuid, text)
-- orgstack:requires function orgstack.is_member(uuid)
-- is_feature_enabled(organization_id, key) -> boolean: the plan's boolean feature of that name
-- when the plan has one (a flag cannot unlock what the workspace does not pay for), else the
-- workspace's own flag, else false. Any member may ask (the plan lives
-- in subscriptions, which only billing roles read: hence security definer); anyone else gets
-- false (the service role and the platform, with no claims, ask for any). Callers: authenticated, service_role, triggers.
create or replace function public.is_feature_enabled(organization_id uuid, key text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select (orgstack.is_member(is_feature_enabled.organization_id)
          or coalesce((select auth.role()), 'service_role') = 'service_role')
     and coalesce(
       (select (p.features ->> is_feature_enabled.key)::boolean
          from public.subscriptions s join public.plans p on p.id = s.plan_id
         where s.organization_id = is_feature_enabled.organization_id
           and jsonb_typeof(p.features -> is_feature_enabled.key) = 'boolean'),
       (select f.enabled from public.feature_flags f
         where f.organization_id = is_feature_enabled.organization_id and f.key = is_feature_enabled.key),
       false)
$$;
revoke execute on function public.is_feature_enabled(uuid, text) from public, anon;
grant execute on function public.is_feature_enabled(uuid, text) to authenticated, service_role;
