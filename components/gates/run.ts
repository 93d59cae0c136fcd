import type { Client } from "pg";
import { GATE_CHECKS, type GateCheck, type Severity } from "./checks";

/** Schemas PostgREST exposes by default on Supabase and in orgstack. */
export const DEFAULT_EXPOSED_SCHEMAS = ["public"] as const;

export interface Finding {
  readonly check: string;
  readonly severity: Severity;
  readonly object: string;
  readonly detail: string;
  readonly fix: string;
}

/** Runs every check on one connection; findings come sorted errors first. */
export async function runGates(
  client: Client,
  exposedSchemas: readonly string[] = DEFAULT_EXPOSED_SCHEMAS,
  checks: readonly GateCheck[] = GATE_CHECKS,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const check of checks) {
    const values = check.scope === "exposed" ? [exposedSchemas] : [];
    const { rows } = await client.query<{ object: string; detail: string }>(check.query, values);
    for (const row of rows) {
      findings.push({
        check: check.id,
        severity: check.severity,
        object: row.object,
        detail: row.detail,
        fix: check.fix.replace("{object}", row.object),
      });
    }
  }
  const rank = (s: Severity) => (s === "error" ? 0 : 1);
  return findings.sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) ||
      a.check.localeCompare(b.check) ||
      a.object.localeCompare(b.object),
  );
}

/** A plain-text table of findings and a one-line summary, for terminals and CI logs. */
export function formatFindings(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  const summary = `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  if (findings.length === 0) return `Security gates: no findings (${summary}).`;
  const header = ["SEVERITY", "CHECK", "OBJECT", "DETAIL", "FIX"];
  const rows = findings.map((f) => [f.severity, f.check, f.object, f.detail, f.fix]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return [line(header), ...rows.map(line), "", `Security gates: ${summary}.`].join("\n");
}
