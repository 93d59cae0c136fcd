-- orgstack:object view ops.usage_summary
-- orgstack:requires function ops.get_usage_counts()
-- The seed's analytics_dashboard, done right: security_invoker, so it runs with the reader's
-- rights, and readable by operators (pg_monitor) only, not by every API role; active
-- connections are this database's, and the mean statement time uses mean_exec_time.
create or replace view ops.usage_summary
with (security_invoker = true) as
select u.daily_active_users,
       u.new_users_today,
       u.organizations,
       u.audit_rows_last_hour,
       (select count(*) from pg_catalog.pg_stat_activity a
         where a.datname = current_database() and a.state = 'active') as active_connections,
       u.mean_statement_ms,
       now() as snapshot_time
  from ops.get_usage_counts() u;
revoke all on ops.usage_summary from public;
grant select on ops.usage_summary to pg_monitor;
