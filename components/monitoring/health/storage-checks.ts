import type { HealthCheck } from "./types";

/** Wraparound, vacuum, WAL, replication and disk: what decides whether the server stays up. */
export const STORAGE_CHECKS: readonly HealthCheck[] = [
  {
    key: "xid_age",
    title: "Transaction ID age",
    category: "vacuum",
    direction: "above",
    warn: 500_000_000,
    critical: 1_000_000_000,
    unit: "xids",
    sql: `select d.datname::text as subject, pg_catalog.age(d.datfrozenxid)::float8 as value
from pg_catalog.pg_database d where d.datallowconn`,
    runbook:
      "Age of the oldest unfrozen transaction id in a database (subject). At about 2 billion " +
      "PostgreSQL stops accepting writes to prevent wraparound. Autovacuum freezes from 200 " +
      "million; a value far above that means it cannot finish: look for long transactions, " +
      "abandoned replication slots and prepared transactions, then run VACUUM (FREEZE, VERBOSE) " +
      "on the tables with the largest age(relfrozenxid).",
  },
  {
    key: "multixact_age",
    title: "Multixact ID age",
    category: "vacuum",
    direction: "above",
    warn: 500_000_000,
    critical: 1_000_000_000,
    unit: "mxids",
    sql: `select d.datname::text as subject, pg_catalog.mxid_age(d.datminmxid)::float8 as value
from pg_catalog.pg_database d where d.datallowconn`,
    runbook:
      "Age of the oldest multixact id in a database (subject); row locks shared by several " +
      "transactions (foreign keys, SELECT FOR SHARE) consume them. Wraparound stops writes as " +
      "for xids. Same cure: let vacuum finish, VACUUM (FREEZE) the tables with the largest " +
      "mxid_age(relminmxid).",
  },
  {
    key: "dead_tuples",
    title: "Dead rows (bloat estimate)",
    category: "vacuum",
    direction: "above",
    warn: 20,
    critical: 50,
    unit: "%",
    // An estimate of bloat from the statistics: dead rows not yet vacuumed, as a share of the
    // table's rows. It does not see space vacuum freed but never returned to the OS.
    sql: `select s.schemaname || '.' || s.relname as subject,
  100.0 * s.n_dead_tup / (s.n_live_tup + s.n_dead_tup) as value
from pg_catalog.pg_stat_user_tables s
where s.n_live_tup + s.n_dead_tup >= 1000`,
    runbook:
      "Dead rows as a share of a table's rows (subject), from the statistics; tables under " +
      "1,000 rows are ignored. It estimates bloat that vacuum has not yet reclaimed, not space " +
      "already freed inside the file. Check pg_stat_user_tables.last_autovacuum: if autovacuum " +
      "never gets there, lower autovacuum_vacuum_scale_factor for the table, or end the long " +
      "transaction that holds it back; VACUUM (VERBOSE) the table now.",
  },
  {
    key: "replication_lag",
    title: "Replication lag",
    category: "replication",
    direction: "above",
    warn: 64,
    critical: 1024,
    unit: "MB",
    sql: `select coalesce(nullif(r.application_name, ''), r.pid::text) as subject,
  pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), coalesce(r.replay_lsn, r.flush_lsn))
    / 1048576.0 as value
from pg_catalog.pg_stat_replication r
where coalesce(r.replay_lsn, r.flush_lsn) is not null`,
    runbook:
      "WAL a connected standby or WAL receiver (subject: its application_name) has not yet " +
      "replayed. A lagging standby serves stale reads and, with synchronous commit, slows " +
      "writes. Check its network and disk, and whether hot_standby_feedback queries hold " +
      "replay back (pg_stat_database_conflicts on the standby).",
  },
  {
    key: "inactive_slots",
    title: "Inactive replication slot holding WAL",
    category: "replication",
    direction: "above",
    warn: 1024,
    critical: 10240,
    unit: "MB",
    sql: `select s.slot_name::text as subject,
  pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), s.restart_lsn) / 1048576.0 as value
from pg_catalog.pg_replication_slots s
where not s.active and s.restart_lsn is not null`,
    runbook:
      "A replication slot (subject) nobody is reading keeps this much WAL on disk, and keeps " +
      "xmin back for logical slots. It fills the disk. If its consumer is gone for good, drop " +
      "it with pg_drop_replication_slot('<slot>'); set max_slot_wal_keep_size so a dead slot " +
      "cannot take the server down.",
  },
  {
    key: "archiver_failing",
    title: "WAL archiving failing",
    category: "replication",
    direction: "above",
    warn: 5,
    critical: 30,
    unit: "min",
    sql: `select '' as subject,
  extract(epoch from pg_catalog.clock_timestamp()
    - coalesce(a.last_archived_time, a.stats_reset))::float8 / 60 as value
from pg_catalog.pg_stat_archiver a
where a.last_failed_time > coalesce(a.last_archived_time, '-infinity'::timestamptz)`,
    runbook:
      "archive_command has failed since its last success this many minutes ago " +
      "(pg_stat_archiver: last_failed_wal, failed_count). Point-in-time recovery stops at the " +
      "last archived segment, and unarchived WAL fills pg_wal. Read the server log for the " +
      "archive_command error (pgbackrest: check the repository's disk and permissions, run " +
      "pgbackrest check).",
  },
  {
    key: "database_size",
    title: "Database size",
    category: "storage",
    direction: "above",
    warn: 80,
    critical: 95,
    unit: "GB",
    sql: `select pg_catalog.current_database()::text as subject,
  pg_catalog.pg_database_size(pg_catalog.current_database()) / 1073741824.0 as value`,
    runbook:
      "Size of this database. The defaults suit a 100 GB volume: set ops.health_thresholds to " +
      "your disk. Growth that outpaces the disk needs a larger volume, retention " +
      "(orgstack:retention) or a look at the largest relations by pg_total_relation_size.",
  },
  {
    key: "temp_bytes",
    title: "Temporary files written",
    category: "storage",
    direction: "above",
    warn: 1024,
    critical: 10240,
    unit: "MB/h",
    sql: `select d.datname::text as subject,
  d.temp_bytes / 1048576.0 / greatest(extract(epoch from pg_catalog.clock_timestamp()
    - coalesce(d.stats_reset, pg_catalog.pg_postmaster_start_time())) / 3600, 1) as value
from pg_catalog.pg_stat_database d where d.datname = pg_catalog.current_database()`,
    runbook:
      "Temporary file bytes per hour since the statistics were reset (at least one hour " +
      "counted): sorts and hashes that did not fit in work_mem spill to disk. Find them with " +
      "pg_stat_statements (temp_blks_written) and log_temp_files; raise work_mem for the role " +
      "that runs them, or add the index that avoids the sort.",
  },
  {
    key: "deadlocks",
    title: "Deadlocks",
    category: "locks",
    direction: "above",
    warn: 1,
    critical: 10,
    unit: "per day",
    sql: `select d.datname::text as subject,
  d.deadlocks / greatest(extract(epoch from pg_catalog.clock_timestamp()
    - coalesce(d.stats_reset, pg_catalog.pg_postmaster_start_time())) / 86400, 1) as value
from pg_catalog.pg_stat_database d where d.datname = pg_catalog.current_database()`,
    runbook:
      "Deadlocks per day since the statistics were reset (at least one day counted). Each " +
      "one rolled back a transaction. The server log has both statements (log_lock_waits " +
      "helps): make the code take row locks in one order. It resolves when the rate falls " +
      "below the threshold or after select pg_stat_reset().",
  },
  {
    key: "checkpoints_requested",
    title: "Checkpoints requested",
    category: "storage",
    direction: "above",
    warn: 30,
    critical: 60,
    unit: "%",
    // pg_stat_bgwriter until 16; 17 moved these counters, where the check reports 'unknown'.
    sql: `select '' as subject,
  100.0 * b.checkpoints_req / (b.checkpoints_timed + b.checkpoints_req) as value
from pg_catalog.pg_stat_bgwriter b
where b.checkpoints_timed + b.checkpoints_req >= 10`,
    runbook:
      "Share of checkpoints forced by WAL volume (or by hand) rather than by " +
      "checkpoint_timeout, over at least 10. Forced checkpoints mean max_wal_size is too " +
      "small for the write load: each one flushes everything at once and writes full-page " +
      "images afterwards. Raise max_wal_size.",
  },
  {
    key: "sequence_exhaustion",
    title: "Sequence near its limit",
    category: "storage",
    direction: "above",
    warn: 75,
    critical: 90,
    unit: "%",
    sql: `select s.sequence_name as subject, s.used_percent as value from ops.get_sequence_usage() s`,
    runbook:
      "Share of a sequence's range (subject) already used. At 100% inserts fail with " +
      "'reached maximum value of sequence'. An integer id column: migrate it to bigint " +
      "(alter table ... alter column id type bigint, and alter sequence ... as bigint) " +
      "before it runs out.",
  },
];
