/**
 * When an ephemeral database was last brought up, kept as its comment (COMMENT ON DATABASE), so
 * the sweeper reads it from pg_database without connecting to each database. A clone does not
 * copy its template's comment: every database is stamped on its own.
 */
export const STAMP_PREFIX = "orgstack:ephemeral ";

export interface Stamp {
  /** The stack that owns the database, e.g. `pr-42`, or `template` for a template. */
  readonly stack: string;
  readonly updatedAt: Date;
}

export function formatStamp(stamp: Stamp): string {
  return STAMP_PREFIX + JSON.stringify({ stack: stamp.stack, updatedAt: stamp.updatedAt });
}

/** The stamp in a database comment, or undefined when there is none or it is malformed. */
export function parseStamp(comment: string | null | undefined): Stamp | undefined {
  if (!comment?.startsWith(STAMP_PREFIX)) return undefined;
  try {
    const value = JSON.parse(comment.slice(STAMP_PREFIX.length)) as Record<string, unknown>;
    const updatedAt = new Date(String(value.updatedAt));
    if (typeof value.stack !== "string" || Number.isNaN(updatedAt.getTime())) return undefined;
    return { stack: value.stack, updatedAt };
  } catch {
    return undefined;
  }
}
