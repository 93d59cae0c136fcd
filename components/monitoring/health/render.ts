import { quoteLiteral } from "../../lib/pg";
import type { HealthCheck } from "./types";

/** Where the rendered files live, relative to the library root. */
export const HEALTH_CATALOG_VIEW_FILE = "sql/objects/ops/views/health_catalog.sql";
export const HEALTH_VALUES_FUNCTION_FILE = "sql/objects/ops/functions/health_values.sql";

const GENERATED = [
  "-- Generated from components/monitoring/health/catalog.ts: do not edit by hand.",
  "-- Regenerate: ORGSTACK_WRITE_HEALTH_SQL=1 npx jest test/unit/health-render.test.ts",
];

/** The helper functions check fragments call, which ops.health_values() must follow. */
const HELPERS = [
  "function ops.get_statement_times(integer)",
  "function ops.get_failed_cron_jobs()",
  "function ops.get_job_health()",
  "function ops.get_sequence_usage()",
];

/**
 * A missing source is 'unknown', never an error: no pg_stat_statements or pg_cron (undefined
 * table, schema or function), a column a server version lacks, a standby's WAL functions.
 * Anything else is a bug in the check and is raised.
 */
const MISSING_SOURCE = [
  "undefined_table",
  "undefined_column",
  "undefined_function",
  "invalid_schema_name",
  "insufficient_privilege",
  "object_not_in_prerequisite_state",
  "feature_not_supported",
].join(" or ");

function renderCatalogRow(check: HealthCheck, index: number): string {
  const values = [
    String(index + 1),
    quoteLiteral(check.key),
    quoteLiteral(check.title),
    quoteLiteral(check.category),
    quoteLiteral(check.direction),
    `${check.warn}::float8`,
    `${check.critical}::float8`,
    quoteLiteral(check.unit),
    quoteLiteral(check.runbook),
  ];
  return `  (${values.join(", ")})`;
}

/** ops.health_catalog: the catalog's rules and runbooks as a view operators read. */
export function renderHealthCatalogView(catalog: readonly HealthCheck[]): string {
  return [
    ...GENERATED,
    "-- orgstack:object view ops.health_catalog",
    "-- The health catalog: default thresholds (ops.health_thresholds overrides them) and",
    "-- runbooks. Operators read it through pg_monitor.",
    "create or replace view ops.health_catalog",
    "with (security_invoker = true) as",
    "select c.* from (values",
    catalog.map(renderCatalogRow).join(",\n"),
    ') as c (position, "check", title, category, direction, warn, critical, unit, runbook);',
    "revoke all on ops.health_catalog from public;",
    "grant select on ops.health_catalog to pg_monitor;",
    "",
  ].join("\n");
}

function renderMeasurement(check: HealthCheck): string {
  const key = `${quoteLiteral(check.key)}::text`;
  const body = check.sql
    .split("\n")
    .map((line) => `      ${line}`)
    .join("\n");
  return [
    `  -- ${check.key}: ${check.title} (${check.unit || "flag"})`,
    "  begin",
    `    return query select ${key}, m.subject::text, m.value::float8, true from (`,
    body,
    "    ) m;",
    "    if not found then",
    `      return query select ${key}, ''::text, null::float8, true;`,
    "    end if;",
    `  exception when ${MISSING_SOURCE} then`,
    `    return query select ${key}, ''::text, null::float8, false;`,
    "  end;",
  ].join("\n");
}

/**
 * ops.health_values(): every check's raw (subject, value) rows, one block per check. A check
 * with no rows gives one row with a null value (nothing to measure); a missing source gives
 * available = false. SECURITY INVOKER: it sees what the caller may see.
 */
export function renderHealthValuesFunction(catalog: readonly HealthCheck[]): string {
  return [
    ...GENERATED,
    "-- orgstack:object function ops.health_values()",
    ...HELPERS.map((helper) => `-- orgstack:requires ${helper}`),
    "-- health_values() -> (check_key, subject, value, available): the catalog's raw measurements.",
    "-- ops.health() judges them. Callers: pg_monitor (the stack's monitor login), the owner.",
    "create or replace function ops.health_values()",
    "returns table (check_key text, subject text, value double precision, available boolean)",
    "language plpgsql",
    "set search_path = ''",
    "as $$",
    "#variable_conflict use_column",
    "begin",
    catalog.map(renderMeasurement).join("\n"),
    "end;",
    "$$;",
    "revoke execute on function ops.health_values() from public;",
    "grant execute on function ops.health_values() to pg_monitor;",
    "",
  ].join("\n");
}
