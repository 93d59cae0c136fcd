import { getLineOf, parseStatements, type SqlStatement } from "./sql-text";

/** A statement that can lose data, found by PostgreSQL's own parser. */
export interface DestructiveStatement {
  readonly line: number;
  /** What it does, e.g. "DROP TABLE" or "ALTER COLUMN ... TYPE". */
  readonly action: string;
}

/** Object kinds whose DROP loses data (rows, or objects that hold rows). */
const DATA_HOLDING_OBJECTS: Readonly<Record<string, string>> = {
  OBJECT_TABLE: "DROP TABLE",
  OBJECT_SCHEMA: "DROP SCHEMA",
  OBJECT_MATVIEW: "DROP MATERIALIZED VIEW",
  OBJECT_SEQUENCE: "DROP SEQUENCE",
  OBJECT_TYPE: "DROP TYPE",
  OBJECT_DOMAIN: "DROP DOMAIN",
  OBJECT_EXTENSION: "DROP EXTENSION",
  OBJECT_FOREIGN_TABLE: "DROP FOREIGN TABLE",
};

/** ALTER TABLE subcommands that lose data or rewrite it lossily. */
const DESTRUCTIVE_ALTER_COMMANDS: Readonly<Record<string, string>> = {
  AT_DropColumn: "DROP COLUMN",
  AT_AlterColumnType: "ALTER COLUMN ... TYPE",
};

function classify(statement: SqlStatement): string[] {
  const [kind, body] = Object.entries(statement.node)[0] ?? [];
  switch (kind) {
    case "DropStmt": {
      const action = DATA_HOLDING_OBJECTS[body.removeType];
      if (action) return [action];
      return body.behavior === "DROP_CASCADE" ? ["DROP ... CASCADE"] : [];
    }
    case "DropdbStmt":
      return ["DROP DATABASE"];
    case "TruncateStmt":
      return ["TRUNCATE"];
    case "DeleteStmt":
      return body.whereClause ? [] : ["DELETE without WHERE"];
    case "AlterTableStmt":
      return (body.cmds ?? [])
        .map((cmd: { AlterTableCmd?: { subtype?: string } }) => cmd.AlterTableCmd?.subtype ?? "")
        .map((subtype: string) => DESTRUCTIVE_ALTER_COMMANDS[subtype])
        .filter((action: string | undefined): action is string => action !== undefined);
    default:
      return [];
  }
}

/**
 * Finds the top-level statements of a migration that can lose data. Statements inside
 * function bodies or DO blocks are strings to the parser and are not inspected.
 */
export async function findDestructiveStatements(sql: string): Promise<DestructiveStatement[]> {
  const statements = await parseStatements(sql);
  return statements.flatMap((statement) =>
    classify(statement).map((action) => ({ line: getLineOf(sql, statement.offset), action })),
  );
}
