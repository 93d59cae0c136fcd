import type { HealthCheck } from "./types";

/** Connections, transactions, locks and queries: what pg_stat_activity and pg_locks show. */
export const ACTIVITY_CHECKS: readonly HealthCheck[] = [
  {
    key: "connections",
    title: "Connections used",
    category: "connections",
    direction: "above",
    warn: 80,
    critical: 95,
    unit: "%",
    // Every client backend counts, idle ones too: they hold a slot (the seed counted only
    // 'active' ones, so a pool of idle connections at the limit looked healthy).
    sql: `select '' as subject,
  100.0 * (select count(*) from pg_catalog.pg_stat_activity a where a.backend_type = 'client backend')
    / (pg_catalog.current_setting('max_connections')::int
       - pg_catalog.current_setting('superuser_reserved_connections')::int) as value`,
    runbook:
      "Client connections as a share of max_connections less the superuser reserve. Near 100% new " +
      "connections are refused. Look at pg_stat_activity by application_name and state: idle " +
      "connections mean a pool larger than needed (lower the pool size, or put a pooler such " +
      "as PgBouncer or Supavisor in front); many active ones mean slow queries piling up.",
  },
  {
    key: "oldest_transaction",
    title: "Oldest open transaction",
    category: "transactions",
    direction: "above",
    warn: 300,
    critical: 1800,
    unit: "s",
    sql: `select a.pid::text as subject,
  extract(epoch from pg_catalog.clock_timestamp() - a.xact_start)::float8 as value
from pg_catalog.pg_stat_activity a
where a.xact_start is not null and a.backend_type = 'client backend'
  and a.pid <> pg_catalog.pg_backend_pid()`,
    runbook:
      "A transaction (subject: its pid) has been open this long. It holds back vacuum for the " +
      "whole cluster, so dead rows pile up and xid age grows. Find it with select * from " +
      "pg_stat_activity where pid = <pid>; ask its owner, or end it with " +
      "pg_terminate_backend(<pid>). Set idle_in_transaction_session_timeout and " +
      "statement_timeout for application roles.",
  },
  {
    key: "idle_in_transaction",
    title: "Idle in transaction",
    category: "transactions",
    direction: "above",
    warn: 60,
    critical: 600,
    unit: "s",
    sql: `select a.pid::text as subject,
  extract(epoch from pg_catalog.clock_timestamp() - a.state_change)::float8 as value
from pg_catalog.pg_stat_activity a
where a.state in ('idle in transaction', 'idle in transaction (aborted)')`,
    runbook:
      "A session (subject: its pid) opened a transaction and has done nothing since: usually " +
      "application code that forgot to commit, or a console left open. It holds its locks and " +
      "blocks vacuum. End it with pg_terminate_backend(<pid>) and fix the code path; " +
      "idle_in_transaction_session_timeout ends such sessions automatically.",
  },
  {
    key: "blocked_locks",
    title: "Waiting on a lock",
    category: "locks",
    direction: "above",
    warn: 30,
    critical: 300,
    unit: "s",
    // pg_locks.waitstart exists from PostgreSQL 14; older servers report 'unknown'.
    sql: `select l.pid::text as subject,
  extract(epoch from pg_catalog.clock_timestamp() - l.waitstart)::float8 as value
from pg_catalog.pg_locks l
where not l.granted and l.waitstart is not null`,
    runbook:
      "A backend (subject: its pid) has waited this long for a lock. pg_blocking_pids(<pid>) " +
      "names the holders; a long transaction or a migration's ALTER TABLE is the usual cause. " +
      "End the blocker if it is stuck, and give DDL a lock_timeout so it fails fast instead of " +
      "queueing every query behind it.",
  },
  {
    key: "long_running_queries",
    title: "Long-running query",
    category: "queries",
    direction: "above",
    warn: 300,
    critical: 1800,
    unit: "s",
    sql: `select a.pid::text as subject,
  extract(epoch from pg_catalog.clock_timestamp() - a.query_start)::float8 as value
from pg_catalog.pg_stat_activity a
where a.state = 'active' and a.backend_type = 'client backend'
  and a.pid <> pg_catalog.pg_backend_pid()`,
    runbook:
      "A statement (subject: its pid) has run this long. Read it in pg_stat_activity.query, " +
      "EXPLAIN it, and cancel it with pg_cancel_backend(<pid>) if it is a runaway. Set " +
      "statement_timeout on the API roles so one request cannot hold a connection for minutes.",
  },
  {
    key: "slow_statements",
    title: "Slow statement (mean time)",
    category: "queries",
    direction: "above",
    warn: 500,
    critical: 2000,
    unit: "ms",
    // ops.get_statement_times picks mean_exec_time (13+) or mean_time (12) by server version.
    sql: `select s.queryid as subject, s.mean_ms as value from ops.get_statement_times(3) s`,
    runbook:
      "A statement of this database (subject: its pg_stat_statements queryid) takes this long " +
      "on average over at least 3 calls. Read it with select query from pg_stat_statements " +
      "where queryid = <queryid>, EXPLAIN (ANALYZE, BUFFERS) it, and add the index or rewrite " +
      "it. pg_stat_statements_reset(0, 0, <queryid>) starts its average afresh after a fix.",
  },
  {
    key: "cache_hit_ratio",
    title: "Cache hit ratio",
    category: "queries",
    direction: "below",
    warn: 99,
    critical: 95,
    unit: "%",
    sql: `select d.datname::text as subject,
  100.0 * d.blks_hit / (d.blks_hit + d.blks_read) as value
from pg_catalog.pg_stat_database d
where d.datname = pg_catalog.current_database() and d.blks_hit + d.blks_read >= 1000`,
    runbook:
      "Share of block reads served from shared_buffers since the statistics were reset. Below " +
      "99% the working set no longer fits in memory and queries wait on disk: raise " +
      "shared_buffers (about a quarter of RAM), find the queries reading the most blocks in " +
      "pg_stat_statements (shared_blks_read), or move to a larger instance.",
  },
];
