-- orgstack:object function ops.purge_read_notifications(integer)
-- purge_read_notifications(retention_days) -> integer: deletes notifications read more than
-- retention_days ago. Callers: the maintenance job.
create or replace function ops.purge_read_notifications(retention_days integer)
returns integer
language sql
set search_path = ''
as $$
  with purged as (
    delete from public.notifications n
     where n.read_at < now() - make_interval(days => purge_read_notifications.retention_days)
    returning 1
  )
  select count(*)::integer from purged
$$;
revoke execute on function ops.purge_read_notifications(integer) from public;
