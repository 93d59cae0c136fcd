import type { Client } from "pg";
import { runGates, type Finding } from "../gates";
import type { FunctionProbeOptions } from "./function-probes";
import { runLoadTest, type LoadTestResult } from "./load-test";
import { fail, type Measurement } from "./measurement";
import {
  byPerson,
  FOREIGN_KEYS,
  gateItem,
  measureAlerts,
  measureAudit,
  measureBackups,
  measureBenchmarks,
  measureDashboard,
  measureFunctions,
  measureHealth,
  measureLoad,
  measureSecurity,
  TABLES_IN_PUBLIC,
} from "./measures";

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
