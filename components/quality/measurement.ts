/** What one quality item found: passed, failed, or could not be measured here (and why). */
export type QualityStatus = "pass" | "fail" | "not measured";

export interface Measurement {
  readonly status: QualityStatus;
  /** The figure measured, or why nothing could be. */
  readonly detail: string;
}

export const pass = (detail: string): Measurement => ({ status: "pass", detail });
export const fail = (detail: string): Measurement => ({ status: "fail", detail });
export const notMeasured = (detail: string): Measurement => ({ status: "not measured", detail });

/** A count with its noun, "1 table", "3 tables". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** The first few items of a list, and how many more. */
export function listSome(items: readonly string[], shown = 3): string {
  const more = items.length - shown;
  return items.slice(0, shown).join(", ") + (more > 0 ? ` and ${more} more` : "");
}
