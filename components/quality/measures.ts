import { GATE_CHECKS } from "../gates";
import { probeFunctions } from "./function-probes";
import type { QualityContext, QualityFacts, QualityItem } from "./items";
import { count, fail, listSome, notMeasured, pass, type Measurement } from "./measurement";

/** How each item of the seed's checklists is measured (items.ts lists them). */

/** The p95 of one API read under the load test that "performance benchmarks met" asks for. */
const LOAD_P95_TARGET_MS = 100;
/** The monitoring's backup alert fires after 26 h without a verified backup; so does this. */
const BACKUP_MAX_AGE_HOURS = 26;

export function gateItem(
  ids: readonly string[],
  what: string,
  objects: string,
): QualityItem["measure"] {
  return async (context, facts) => {
    const found = facts.findings.filter((f) => ids.includes(f.check));
    if (found.length > 0) {
      return fail(
        `${count(found.length, "finding")}: ${listSome(found.map((f) => `${f.object} (${f.check})`))}`,
      );
    }
    const { rows } = await context.client.query<{ n: number }>(objects);
    return pass(`${count(rows[0].n, what)} in public, no finding`);
  };
}

export const TABLES_IN_PUBLIC = `select count(*)::int as n from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p')`;
export const FOREIGN_KEYS = `select count(*)::int as n from pg_constraint c join pg_class t on t.oid = c.conrelid where c.contype = 'f' and t.relnamespace = 'public'::regnamespace`;

/** ok and unknown (a check this database cannot compute, e.g. without pg_cron) are healthy. */
export async function measureHealth({ client }: QualityContext): Promise<Measurement> {
  const exists = await client.query<{ ok: boolean }>(
    `select to_regprocedure('ops.health()') is not null as ok`,
  );
  if (!exists.rows[0].ok) return fail("ops.health() is missing");
  const { rows } = await client.query<{ status: string; check: string; subject: string }>(
    `select status, "check", subject from ops.health() order by status, "check"`,
  );
  const shown = (r: (typeof rows)[number]) => `${r.check}${r.subject ? ` ${r.subject}` : ""}`;
  const bad = rows.filter((r) => r.status !== "ok" && r.status !== "unknown");
  const unknown = rows.filter((r) => r.status === "unknown").map(shown);
  const unknownNote =
    unknown.length > 0 ? `, ${unknown.length} unknown (${listSome(unknown)})` : "";
  if (bad.length === 0) {
    return pass(`healthy: ${count(rows.length - unknown.length, "check")} ok${unknownNote}`);
  }
  return fail(
    `${count(bad.length, "check")} of ${rows.length} not ok: ${listSome(bad.map((r) => `${shown(r)} ${r.status}`))}`,
  );
}

export async function measureFunctions(context: QualityContext): Promise<Measurement> {
  if (!context.functions)
    return notMeasured("give --functions-url and --functions to probe the gateway");
  const { probes, problems } = await probeFunctions(context.functions);
  if (problems.length > 0)
    return fail(
      `${count(problems.length, "probe")} of ${probes} mishandled: ${listSome(problems, 2)}`,
    );
  return pass(
    `${probes} probes on ${count(context.functions.functions.length, "function")}: each refused with a 4xx JSON error`,
  );
}

/**
 * Tables of public with organization_id lacking the audit trigger on insert, update and delete.
 * The platform's own logs, written only by triggers, are not audited again.
 */
export async function measureAudit({ client }: QualityContext): Promise<Measurement> {
  const { rows } = await client.query<{ table_name: string; audited: boolean }>(
    `select format('%I.%I', 'public', c.relname) as table_name,
            exists (select from pg_trigger t where t.tgrelid = c.oid and not t.tgisinternal and t.tgenabled <> 'D'
                       and t.tgfoid = 'audit.trigger_record_change'::regproc
                       and (t.tgtype & 28) = 28) as audited
       from pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname <> all (array['audit_logs', 'activity_feed', 'notifications'])
        and exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'organization_id' and not a.attisdropped)
      order by 1`,
  );
  const missing = rows.filter((r) => !r.audited).map((r) => r.table_name);
  if (missing.length > 0)
    return fail(
      `${count(missing.length, "tenant table")} not audited on insert, update and delete: ${listSome(missing)}`,
    );
  return pass(`${count(rows.length, "tenant table")}: every insert, update and delete is audited`);
}

export async function measureSecurity(facts: QualityFacts, strict: boolean): Promise<Measurement> {
  const errors = facts.findings.filter((f) => f.severity === "error");
  const warnings = facts.findings.length - errors.length;
  const summary = `${GATE_CHECKS.length} gates: ${count(errors.length, "error")}, ${count(warnings, "warning")}`;
  return errors.length === 0 && (!strict || warnings === 0)
    ? pass(summary)
    : fail(`${summary}; npm run gates lists them`);
}

export async function measureLoad(facts: QualityFacts): Promise<Measurement> {
  const { load } = facts;
  if (load.requests === 0 && load.errors.length === 0) {
    return notMeasured(
      `no member to act as or no tenant table (${count(load.members, "member")}, ${count(load.tables, "table")})`,
    );
  }
  const rate = load.requests / load.seconds;
  const summary = `${load.requests} reads in ${load.seconds.toFixed(1)} s as ${count(load.members, "member")} over ${count(load.tables, "table")}: ${rate.toFixed(0)}/s, p95 ${load.p95Ms.toFixed(1)} ms`;
  return load.errors.length === 0
    ? pass(summary)
    : fail(`${summary}; ${count(load.errors.length, "error")}: ${listSome(load.errors, 1)}`);
}

export async function measureBenchmarks(facts: QualityFacts): Promise<Measurement> {
  const { load } = facts;
  if (load.requests === 0) return notMeasured("the load test read nothing");
  const summary = `load test p95 ${load.p95Ms.toFixed(1)} ms against the ${LOAD_P95_TARGET_MS} ms target`;
  return load.p95Ms <= LOAD_P95_TARGET_MS ? pass(summary) : fail(summary);
}

export async function measureDashboard(context: QualityContext): Promise<Measurement> {
  if (!context.metrics)
    return notMeasured("give --functions-url and ORGSTACK_METRICS_TOKEN to scrape /metrics");
  const { url, token } = context.metrics;
  const scraped = await fetch(new URL("/metrics", url), {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await scraped.text();
  const refused = await fetch(new URL("/metrics", url));
  await refused.text();
  const series = new Set(
    text
      .split("\n")
      .filter((l) => l.startsWith("orgstack_"))
      .map((l) => l.split(/[{ ]/)[0]),
  );
  if (scraped.status !== 200 || series.size === 0)
    return fail(`/metrics answered ${scraped.status} with ${series.size} orgstack series`);
  if (refused.status !== 401)
    return fail(`/metrics without the token answered ${refused.status}, not 401`);
  return pass(`/metrics: ${series.size} orgstack series; refused without the token`);
}

export async function measureAlerts({ client }: QualityContext): Promise<Measurement> {
  const { rows } = await client.query<{ cron: boolean }>(
    `select to_regclass('cron.job') is not null as cron`,
  );
  if (!rows[0].cron)
    return fail(
      "pg_cron is not in this database: ops.evaluate_alerts() never runs (orgstack:database.pgCron)",
    );
  const job = await client.query<{ schedule: string; active: boolean }>(
    `select schedule, active from cron.job where jobname = 'orgstack-health-evaluator'`,
  );
  if (job.rows.length === 0 || !job.rows[0].active)
    return fail("the orgstack-health-evaluator job is missing or inactive");
  const firing = await client.query<{ n: number }>(
    `select count(*)::int as n from ops.alerts where state = 'firing'`,
  );
  return pass(`evaluated on '${job.rows[0].schedule}'; ${count(firing.rows[0].n, "alert")} firing`);
}

export async function measureBackups({ client }: QualityContext): Promise<Measurement> {
  const { rows } = await client.query<{ verified_hours: number | null; drill: string | null }>(
    `select (select (extract(epoch from now() - max(verified_at)) / 3600)::float8 from ops.backup_runs
              where kind = 'logical' and status = 'succeeded' and verify_status = 'succeeded') as verified_hours,
            (select status from ops.backup_runs where kind = 'drill' order by started_at desc limit 1) as drill`,
  );
  const { verified_hours: hours, drill } = rows[0];
  if (hours === null) return fail(`no verified backup (latest drill: ${drill ?? "none"})`);
  const summary = `latest verified backup ${hours.toFixed(1)} h old; latest drill ${drill ?? "none"}`;
  return hours <= BACKUP_MAX_AGE_HOURS && drill === "succeeded"
    ? pass(summary)
    : fail(`${summary} (at most ${BACKUP_MAX_AGE_HOURS} h, drill succeeded)`);
}

export const byPerson = (what: string) => async () =>
  notMeasured(`${what}: a person judges it; nothing here measures it`);
