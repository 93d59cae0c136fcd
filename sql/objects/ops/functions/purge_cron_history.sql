-- orgstack:object function ops.purge_cron_history(integer)
-- purge_cron_history(retention_days) -> integer: deletes pg_cron's run history older than
-- retention_days (cron.job_run_details grows by a row per run, forever). PL/pgSQL so that the
-- function exists even where pg_cron does not. Callers: the maintenance job.
create or replace function ops.purge_cron_history(retention_days integer)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  purged integer;
begin
  delete from cron.job_run_details d where d.end_time < now() - make_interval(days => retention_days);
  get diagnostics purged = row_count;
  return purged;
end;
$$;
revoke execute on function ops.purge_cron_history(integer) from public;
