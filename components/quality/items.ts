import type { Client } from "pg";
import { GATE_CHECKS, runGates, type Finding } from "../gates";
import { probeFunctions, type FunctionProbeOptions } from "./function-probes";
import { runLoadTest, type LoadTestResult } from "./load-test";
import { count, fail, listSome, notMeasured, pass, type Measurement } from "./measurement";

/** What the items measure against: the stack's database, and its gateway when given. */
export interface QualityContext {
  readonly client: Client;
  /** An admin URL of the stack's database, for the load test's own connections. */
  readonly url: string;
  readonly functions?: FunctionProbeOptions;
  readonly metrics?: { readonly url: string; readonly token: string };
  readonly load: { readonly seconds: number; readonly clients: number };
}

/** Measured once, shared by the items that read them. */
export interface QualityFacts {
  readonly findings: readonly Finding[];
  readonly load: LoadTestResult;
}

export interface QualityItem {
  /** The seed's checklist it comes from. */
  readonly list: "Before moving to frontend" | "Production deployment";
  /** The seed's wording. */
  readonly title: string;
  measure(context: QualityContext, facts: QualityFacts): Promise<Measurement>;
}

/** The p95 of one API read under the load test that "performance benchmarks met" asks for. */
export const LOAD_P95_TARGET_MS = 100;
/** The monitoring's backup alert fires after 26 h without a verified backup; so does this. */
const BACKUP_MAX_AGE_HOURS = 26;

function gateItem(ids: readonly string[], what: string, objects: string): QualityItem["measure"] {
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

const TABLES_IN_PUBLIC = `select count(*)::int as n from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p')`;
const FOREIGN_KEYS = `select count(*)::int as n from pg_constraint c join pg_class t on t.oid = c.conrelid where c.contype = 'f' and t.relnamespace = 'public'::regnamespace`;

/** ok and unknown (a check this database cannot compute, e.g. without pg_cron) are healthy. */
async function measureHealth({ client }: QualityContext): Promise<Measurement> {
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

async function measureFunctions(context: QualityContext): Promise<Measurement> {
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
async function measureAudit({ client }: QualityContext): Promise<Measurement> {
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

async function measureSecurity(facts: QualityFacts, strict: boolean): Promise<Measurement> {
  const errors = facts.findings.filter((f) => f.severity === "error");
  const warnings = facts.findings.length - errors.length;
  const summary = `${GATE_CHECKS.length} gates: ${count(errors.length, "error")}, ${count(warnings, "warning")}`;
  return errors.length === 0 && (!strict || warnings === 0)
    ? pass(summary)
    : fail(`${summary}; npm run gates lists them`);
}

async function measureLoad(facts: QualityFacts): Promise<Measurement> {
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

async function measureBenchmarks(facts: QualityFacts): Promise<Measurement> {
  const { load } = facts;
  if (load.requests === 0) return notMeasured("the load test read nothing");
  const summary = `load test p95 ${load.p95Ms.toFixed(1)} ms against the ${LOAD_P95_TARGET_MS} ms target`;
  return load.p95Ms <= LOAD_P95_TARGET_MS ? pass(summary) : fail(summary);
}

async function measureDashboard(context: QualityContext): Promise<Measurement> {
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

async function measureAlerts({ client }: QualityContext): Promise<Measurement> {
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

async function measureBackups({ client }: QualityContext): Promise<Measurement> {
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

const byPerson = (what: string) => async () =>
  notMeasured(`${what}: a person judges it; nothing here measures it`);

/** The seed's two checklists, in its order, one item each. */
export const QUALITY_ITEMS: readonly QualityItem[] = [
  {
    list: "Before moving to frontend",
    title: "All tables have RLS policies",
    measure: gateItem(["rls_disabled", "rls_without_policy"], "table", TABLES_IN_PUBLIC),
  },
  {
    list: "Before moving to frontend",
    title: "Performance indexes on all foreign keys",
    measure: gateItem(["foreign_key_without_index"], "foreign key", FOREIGN_KEYS),
  },
  {
    list: "Before moving to frontend",
    title: 'Health check function returns "healthy" status',
    measure: measureHealth,
  },
  {
    list: "Before moving to frontend",
    title: "Edge functions handle all error cases",
    measure: measureFunctions,
  },
  {
    list: "Before moving to frontend",
    title: "Audit logging captures all operations",
    measure: measureAudit,
  },
  {
    list: "Before moving to frontend",
    title: "Documentation is complete and accurate",
    measure: byPerson("documentation"),
  },
  {
    list: "Before moving to frontend",
    title: "Security review passed",
    measure: (_, facts) => measureSecurity(facts, false),
  },
  {
    list: "Before moving to frontend",
    title: "Load testing completed",
    measure: (_, facts) => measureLoad(facts),
  },
  {
    list: "Production deployment",
    title: "Monitoring dashboard functional",
    measure: measureDashboard,
  },
  { list: "Production deployment", title: "Alert systems configured", measure: measureAlerts },
  { list: "Production deployment", title: "Backup procedures tested", measure: measureBackups },
  {
    list: "Production deployment",
    title: "Performance benchmarks met",
    measure: (_, facts) => measureBenchmarks(facts),
  },
  {
    list: "Production deployment",
    title: "Security audit passed",
    measure: (_, facts) => measureSecurity(facts, true),
  },
  {
    list: "Production deployment",
    title: "Documentation review completed",
    measure: byPerson("the documentation review"),
  },
];

export interface QualityRow {
  readonly item: QualityItem;
  readonly measurement: Measurement;
}

/** Measures every item; an item that throws fails with its error, the others still run. */
export async function runQuality(context: QualityContext): Promise<QualityRow[]> {
  const findings = await runGates(context.client);
  const load = await runLoadTest({ url: context.url, ...context.load });
  const rows: QualityRow[] = [];
  for (const item of QUALITY_ITEMS) {
    const measurement = await item
      .measure(context, { findings, load })
      .catch((error: Error) => fail(`could not measure: ${error.message}`));
    rows.push({ item, measurement });
  }
  return rows;
}

/** One line per item under its list's heading, and a summary line. */
export function formatQuality(stack: string, rows: readonly QualityRow[]): string {
  const lines = [`Quality gates of stack ${stack}`];
  let list = "";
  for (const { item, measurement } of rows) {
    if (item.list !== list) lines.push("", item.list);
    list = item.list;
    lines.push(
      `  ${measurement.status.toUpperCase().padEnd(12)} ${item.title.padEnd(50)} ${measurement.detail}`,
    );
  }
  const tally = (s: string) => rows.filter((r) => r.measurement.status === s).length;
  lines.push(
    "",
    `${tally("pass")} passed, ${tally("fail")} failed, ${tally("not measured")} not measured.`,
  );
  return lines.join("\n");
}
