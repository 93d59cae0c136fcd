import { parse } from "libpg-query";
import { buildTaggedError, isTaggedError } from "../lib/errors";

/** One top-level statement of a SQL text, with where it starts. */
export interface SqlStatement {
  readonly text: string;
  /** 0-based character offset of the statement in the whole text. */
  readonly offset: number;
  /** The parse tree of the statement, as libpg-query returns it. */
  readonly node: Record<string, any>;
}

/** PostgreSQL's parser refused the text; `line` is 1-based. */
export type SqlSyntaxError = Error & { readonly line: number };

const SQL_SYNTAX_ERROR = "SqlSyntaxError";

export function isSqlSyntaxError(error: unknown): error is SqlSyntaxError {
  return isTaggedError(error, SQL_SYNTAX_ERROR);
}

/** 1-based line of a 0-based character offset. */
export function getLineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}

/**
 * Parses SQL with PostgreSQL's own parser (libpg-query). libpg-query counts offsets in bytes,
 * so the text is sliced as UTF-8.
 */
export async function parseStatements(sql: string): Promise<SqlStatement[]> {
  let tree: { stmts?: Array<{ stmt?: object; stmt_location?: number; stmt_len?: number }> };
  try {
    tree = await parse(sql);
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const bytes = Buffer.from(sql, "utf8");
    const offset = Buffer.from(bytes.subarray(0, details?.cursorPosition ?? 0)).toString(
      "utf8",
    ).length;
    throw buildTaggedError(SQL_SYNTAX_ERROR, (error as Error).message, {
      line: getLineOf(sql, offset),
    });
  }
  const bytes = Buffer.from(sql, "utf8");
  return (tree.stmts ?? []).map((s) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes.length;
    const prefix = bytes.subarray(0, start).toString("utf8");
    const raw = bytes.subarray(start, end).toString("utf8");
    const leading = raw.length - raw.trimStart().length;
    return {
      text: raw.trim(),
      offset: prefix.length + leading,
      node: (s.stmt ?? {}) as Record<string, any>,
    };
  });
}

/**
 * A form of SQL in which whitespace, comments and letter case of keywords do not count:
 * the parse tree without source locations.
 */
export async function normalizeSql(sql: string): Promise<string> {
  const statements = await parseStatements(sql);
  return JSON.stringify(
    statements.map((s) => s.node),
    (key, value) => (key === "location" ? undefined : value),
  );
}
