-- orgstack:object function ops.get_usage_counts()
-- orgstack:requires function ops.get_statement_times(integer)
-- get_usage_counts() -> (daily_active_users, new_users_today, organizations,
-- audit_rows_last_hour, mean_statement_ms): the platform's usage as numbers. SECURITY DEFINER
-- because operators must not read profiles, organizations or audit rows (RLS on each, no policy
-- for pg_monitor); it returns counts only, never a row. mean_statement_ms is the mean of
-- statements called at least 10 times (mean_exec_time, by server version), null without
-- pg_stat_statements. Callers: pg_monitor, through ops.usage_summary.
create or replace function ops.get_usage_counts()
returns table (
  daily_active_users bigint,
  new_users_today bigint,
  organizations bigint,
  audit_rows_last_hour bigint,
  mean_statement_ms numeric
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  daily_active_users := (select count(*) from public.profiles p where p.last_seen_at > now() - interval '24 hours');
  new_users_today := (select count(*) from public.profiles p where p.created_at > now() - interval '24 hours');
  organizations := (select count(*) from public.organizations);
  audit_rows_last_hour := (select count(*) from public.audit_logs a where a.created_at > now() - interval '1 hour');
  begin
    mean_statement_ms := (select round(avg(t.mean_ms)::numeric, 2) from ops.get_statement_times(10) t);
  exception when undefined_table or object_not_in_prerequisite_state then
    mean_statement_ms := null;
  end;
  return next;
end;
$$;
revoke execute on function ops.get_usage_counts() from public;
grant execute on function ops.get_usage_counts() to pg_monitor;
