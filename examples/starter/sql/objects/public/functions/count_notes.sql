-- orgstack:object function public.count_notes(uuid)
-- count_notes(organization_id) -> bigint: how many notes of the organization the caller can
-- see. Security invoker, so row-level security decides. Callers: authenticated.
create or replace function public.count_notes(organization_id uuid)
returns bigint
language sql
stable
set search_path = ''
as $$
  select count(*) from public.notes n where n.organization_id = count_notes.organization_id;
$$;
revoke all on function public.count_notes(uuid) from public;
grant execute on function public.count_notes(uuid) to authenticated;
