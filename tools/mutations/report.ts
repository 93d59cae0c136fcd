import type { Mutant } from "./mutants";

/** What the suites did with one mutant. */
export interface MutantResult {
  readonly mutant: Mutant;
  /** Basenames of the suites that went red; empty when the mutant survived. */
  readonly killedBy: readonly string[];
  /** The first failing assertion or error line, to show why. */
  readonly firstFailure?: string;
}

/**
 * The suite that pins the policy catalog. Named apart because it kills every policy mutant by
 * itself: the report says which mutants only it notices, i.e. those no behaviour test sees.
 */
export const CATALOG_SUITE = "07-policy-catalog.sql";

export function isKilled(result: MutantResult): boolean {
  return result.killedBy.length > 0;
}

/** The table of mutants, then the kill rate and the mutants only the catalog pin kills. */
export function formatReport(results: readonly MutantResult[], seconds: number): string {
  const rows = results.map((r) => [
    r.mutant.kind,
    `${r.mutant.schema}.${r.mutant.table}`,
    r.mutant.name,
    isKilled(r) ? "killed" : "SURVIVED",
    r.killedBy.join(", "),
  ]);
  const header = ["kind", "table", "name", "result", "killed by"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const killed = results.filter(isKilled).length;
  const rate = results.length === 0 ? 100 : (100 * killed) / results.length;
  const catalogOnly = results.filter(
    (r) => r.killedBy.length === 1 && r.killedBy[0] === CATALOG_SUITE,
  );
  return [
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
    `${killed} of ${results.length} mutants killed (${rate.toFixed(1)}%), ${results.length - killed} survived, in ${seconds.toFixed(1)} s.`,
    `Killed only by ${CATALOG_SUITE} (deny-by-default hides their removal from behaviour): ${catalogOnly.length}.`,
  ].join("\n");
}
