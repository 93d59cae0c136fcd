-- Generated from components/monitoring/health/catalog.ts: do not edit by hand.
-- Regenerate: ORGSTACK_WRITE_HEALTH_SQL=1 npx jest test/unit/health-render.test.ts
-- orgstack:object function ops.health_values()
-- orgstack:requires function ops.get_statement_times(integer)
-- orgstack:requires function ops.get_failed_cron_jobs()
-- orgstack:requires function ops.get_job_health()
-- orgstack:requires function ops.get_sequence_usage()
-- health_values() -> (check_key, subject, value, available): the catalog's raw measurements.
-- ops.health() judges them. Callers: pg_monitor (the stack's monitor login), the owner.
create or replace function ops.health_values()
returns table (check_key text, subject text, value double precision, available boolean)
language plpgsql
set search_path = ''
as $$
#variable_conflict use_column
begin
  -- connections: Connections used (%)
  begin
    return query select 'connections'::text, m.subject::text, m.value::float8, true from (
      select '' as subject,
        100.0 * (select count(*) from pg_catalog.pg_stat_activity a where a.backend_type = 'client backend')
          / (pg_catalog.current_setting('max_connections')::int
             - pg_catalog.current_setting('superuser_reserved_connections')::int) as value
    ) m;
    if not found then
      return query select 'connections'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'connections'::text, ''::text, null::float8, false;
  end;
  -- oldest_transaction: Oldest open transaction (s)
  begin
    return query select 'oldest_transaction'::text, m.subject::text, m.value::float8, true from (
      select a.pid::text as subject,
        extract(epoch from pg_catalog.clock_timestamp() - a.xact_start)::float8 as value
      from pg_catalog.pg_stat_activity a
      where a.xact_start is not null and a.backend_type = 'client backend'
        and a.pid <> pg_catalog.pg_backend_pid()
    ) m;
    if not found then
      return query select 'oldest_transaction'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'oldest_transaction'::text, ''::text, null::float8, false;
  end;
  -- idle_in_transaction: Idle in transaction (s)
  begin
    return query select 'idle_in_transaction'::text, m.subject::text, m.value::float8, true from (
      select a.pid::text as subject,
        extract(epoch from pg_catalog.clock_timestamp() - a.state_change)::float8 as value
      from pg_catalog.pg_stat_activity a
      where a.state in ('idle in transaction', 'idle in transaction (aborted)')
    ) m;
    if not found then
      return query select 'idle_in_transaction'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'idle_in_transaction'::text, ''::text, null::float8, false;
  end;
  -- blocked_locks: Waiting on a lock (s)
  begin
    return query select 'blocked_locks'::text, m.subject::text, m.value::float8, true from (
      select l.pid::text as subject,
        extract(epoch from pg_catalog.clock_timestamp() - l.waitstart)::float8 as value
      from pg_catalog.pg_locks l
      where not l.granted and l.waitstart is not null
    ) m;
    if not found then
      return query select 'blocked_locks'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'blocked_locks'::text, ''::text, null::float8, false;
  end;
  -- long_running_queries: Long-running query (s)
  begin
    return query select 'long_running_queries'::text, m.subject::text, m.value::float8, true from (
      select a.pid::text as subject,
        extract(epoch from pg_catalog.clock_timestamp() - a.query_start)::float8 as value
      from pg_catalog.pg_stat_activity a
      where a.state = 'active' and a.backend_type = 'client backend'
        and a.pid <> pg_catalog.pg_backend_pid()
    ) m;
    if not found then
      return query select 'long_running_queries'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'long_running_queries'::text, ''::text, null::float8, false;
  end;
  -- slow_statements: Slow statement (mean time) (ms)
  begin
    return query select 'slow_statements'::text, m.subject::text, m.value::float8, true from (
      select s.queryid as subject, s.mean_ms as value from ops.get_statement_times(3) s
    ) m;
    if not found then
      return query select 'slow_statements'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'slow_statements'::text, ''::text, null::float8, false;
  end;
  -- cache_hit_ratio: Cache hit ratio (%)
  begin
    return query select 'cache_hit_ratio'::text, m.subject::text, m.value::float8, true from (
      select d.datname::text as subject,
        100.0 * d.blks_hit / (d.blks_hit + d.blks_read) as value
      from pg_catalog.pg_stat_database d
      where d.datname = pg_catalog.current_database() and d.blks_hit + d.blks_read >= 1000
    ) m;
    if not found then
      return query select 'cache_hit_ratio'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'cache_hit_ratio'::text, ''::text, null::float8, false;
  end;
  -- xid_age: Transaction ID age (xids)
  begin
    return query select 'xid_age'::text, m.subject::text, m.value::float8, true from (
      select d.datname::text as subject, pg_catalog.age(d.datfrozenxid)::float8 as value
      from pg_catalog.pg_database d where d.datallowconn
    ) m;
    if not found then
      return query select 'xid_age'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'xid_age'::text, ''::text, null::float8, false;
  end;
  -- multixact_age: Multixact ID age (mxids)
  begin
    return query select 'multixact_age'::text, m.subject::text, m.value::float8, true from (
      select d.datname::text as subject, pg_catalog.mxid_age(d.datminmxid)::float8 as value
      from pg_catalog.pg_database d where d.datallowconn
    ) m;
    if not found then
      return query select 'multixact_age'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'multixact_age'::text, ''::text, null::float8, false;
  end;
  -- dead_tuples: Dead rows (bloat estimate) (%)
  begin
    return query select 'dead_tuples'::text, m.subject::text, m.value::float8, true from (
      select s.schemaname || '.' || s.relname as subject,
        100.0 * s.n_dead_tup / (s.n_live_tup + s.n_dead_tup) as value
      from pg_catalog.pg_stat_user_tables s
      where s.n_live_tup + s.n_dead_tup >= 1000
    ) m;
    if not found then
      return query select 'dead_tuples'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'dead_tuples'::text, ''::text, null::float8, false;
  end;
  -- replication_lag: Replication lag (MB)
  begin
    return query select 'replication_lag'::text, m.subject::text, m.value::float8, true from (
      select coalesce(nullif(r.application_name, ''), r.pid::text) as subject,
        pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), coalesce(r.replay_lsn, r.flush_lsn))
          / 1048576.0 as value
      from pg_catalog.pg_stat_replication r
      where coalesce(r.replay_lsn, r.flush_lsn) is not null
    ) m;
    if not found then
      return query select 'replication_lag'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'replication_lag'::text, ''::text, null::float8, false;
  end;
  -- inactive_slots: Inactive replication slot holding WAL (MB)
  begin
    return query select 'inactive_slots'::text, m.subject::text, m.value::float8, true from (
      select s.slot_name::text as subject,
        pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), s.restart_lsn) / 1048576.0 as value
      from pg_catalog.pg_replication_slots s
      where not s.active and s.restart_lsn is not null
    ) m;
    if not found then
      return query select 'inactive_slots'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'inactive_slots'::text, ''::text, null::float8, false;
  end;
  -- archiver_failing: WAL archiving failing (min)
  begin
    return query select 'archiver_failing'::text, m.subject::text, m.value::float8, true from (
      select '' as subject,
        extract(epoch from pg_catalog.clock_timestamp()
          - coalesce(a.last_archived_time, a.stats_reset))::float8 / 60 as value
      from pg_catalog.pg_stat_archiver a
      where a.last_failed_time > coalesce(a.last_archived_time, '-infinity'::timestamptz)
    ) m;
    if not found then
      return query select 'archiver_failing'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'archiver_failing'::text, ''::text, null::float8, false;
  end;
  -- database_size: Database size (GB)
  begin
    return query select 'database_size'::text, m.subject::text, m.value::float8, true from (
      select pg_catalog.current_database()::text as subject,
        pg_catalog.pg_database_size(pg_catalog.current_database()) / 1073741824.0 as value
    ) m;
    if not found then
      return query select 'database_size'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'database_size'::text, ''::text, null::float8, false;
  end;
  -- temp_bytes: Temporary files written (MB/h)
  begin
    return query select 'temp_bytes'::text, m.subject::text, m.value::float8, true from (
      select d.datname::text as subject,
        d.temp_bytes / 1048576.0 / greatest(extract(epoch from pg_catalog.clock_timestamp()
          - coalesce(d.stats_reset, pg_catalog.pg_postmaster_start_time())) / 3600, 1) as value
      from pg_catalog.pg_stat_database d where d.datname = pg_catalog.current_database()
    ) m;
    if not found then
      return query select 'temp_bytes'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'temp_bytes'::text, ''::text, null::float8, false;
  end;
  -- deadlocks: Deadlocks (per day)
  begin
    return query select 'deadlocks'::text, m.subject::text, m.value::float8, true from (
      select d.datname::text as subject,
        d.deadlocks / greatest(extract(epoch from pg_catalog.clock_timestamp()
          - coalesce(d.stats_reset, pg_catalog.pg_postmaster_start_time())) / 86400, 1) as value
      from pg_catalog.pg_stat_database d where d.datname = pg_catalog.current_database()
    ) m;
    if not found then
      return query select 'deadlocks'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'deadlocks'::text, ''::text, null::float8, false;
  end;
  -- checkpoints_requested: Checkpoints requested (%)
  begin
    return query select 'checkpoints_requested'::text, m.subject::text, m.value::float8, true from (
      select '' as subject,
        100.0 * b.checkpoints_req / (b.checkpoints_timed + b.checkpoints_req) as value
      from pg_catalog.pg_stat_bgwriter b
      where b.checkpoints_timed + b.checkpoints_req >= 10
    ) m;
    if not found then
      return query select 'checkpoints_requested'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'checkpoints_requested'::text, ''::text, null::float8, false;
  end;
  -- sequence_exhaustion: Sequence near its limit (%)
  begin
    return query select 'sequence_exhaustion'::text, m.subject::text, m.value::float8, true from (
      select s.sequence_name as subject, s.used_percent as value from ops.get_sequence_usage() s
    ) m;
    if not found then
      return query select 'sequence_exhaustion'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'sequence_exhaustion'::text, ''::text, null::float8, false;
  end;
  -- failed_cron_jobs: Failing pg_cron job (runs)
  begin
    return query select 'failed_cron_jobs'::text, m.subject::text, m.value::float8, true from (
      select f.job_name as subject, f.failures as value from ops.get_failed_cron_jobs() f
    ) m;
    if not found then
      return query select 'failed_cron_jobs'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'failed_cron_jobs'::text, ''::text, null::float8, false;
  end;
  -- dead_jobs: Dead jobs (jobs)
  begin
    return query select 'dead_jobs'::text, m.subject::text, m.value::float8, true from (
      select j.kind as subject, j.dead as value from ops.get_job_health() j where j.dead > 0
    ) m;
    if not found then
      return query select 'dead_jobs'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'dead_jobs'::text, ''::text, null::float8, false;
  end;
  -- stale_jobs: Stale jobs (jobs)
  begin
    return query select 'stale_jobs'::text, m.subject::text, m.value::float8, true from (
      select j.kind as subject, j.stale as value from ops.get_job_health() j where j.stale > 0
    ) m;
    if not found then
      return query select 'stale_jobs'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'stale_jobs'::text, ''::text, null::float8, false;
  end;
  -- backup_age: Latest verified backup age (h)
  begin
    return query select 'backup_age'::text, m.subject::text, m.value::float8, true from (
      select 'logical' as subject,
        extract(epoch from pg_catalog.clock_timestamp() - coalesce(
          (select max(b.finished_at) from ops.backup_runs b
            where b.kind = 'logical' and b.verify_status = 'succeeded'),
          (select min(b.started_at) from ops.backup_runs b where b.kind = 'logical')))::float8
          / 3600 as value
      where exists (select from ops.backup_runs b where b.kind = 'logical')
    ) m;
    if not found then
      return query select 'backup_age'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'backup_age'::text, ''::text, null::float8, false;
  end;
  -- drill_failed: Latest restore drill failed (flag)
  begin
    return query select 'drill_failed'::text, m.subject::text, m.value::float8, true from (
      select '' as subject, case d.status when 'failed' then 1 else 0 end as value
      from (select b.status from ops.backup_runs b
             where b.kind = 'drill' and b.status <> 'running'
             order by b.started_at desc limit 1) d
    ) m;
    if not found then
      return query select 'drill_failed'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'drill_failed'::text, ''::text, null::float8, false;
  end;
  -- rls_disabled: Exposed table without RLS (flag)
  begin
    return query select 'rls_disabled'::text, m.subject::text, m.value::float8, true from (
      select n.nspname || '.' || c.relname as subject, 1 as value
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname = 'public' and not c.relrowsecurity
    ) m;
    if not found then
      return query select 'rls_disabled'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'rls_disabled'::text, ''::text, null::float8, false;
  end;
  -- rls_without_policy: RLS table without a policy (flag)
  begin
    return query select 'rls_without_policy'::text, m.subject::text, m.value::float8, true from (
      select n.nspname || '.' || c.relname as subject, 1 as value
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname = 'public' and c.relrowsecurity
        and not exists (select from pg_catalog.pg_policy p where p.polrelid = c.oid)
    ) m;
    if not found then
      return query select 'rls_without_policy'::text, ''::text, null::float8, true;
    end if;
  exception when undefined_table or undefined_column or undefined_function or invalid_schema_name or insufficient_privilege or object_not_in_prerequisite_state or feature_not_supported then
    return query select 'rls_without_policy'::text, ''::text, null::float8, false;
  end;
end;
$$;
revoke execute on function ops.health_values() from public;
grant execute on function ops.health_values() to pg_monitor;
