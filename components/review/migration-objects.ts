import type { MigrationFile } from "../schema/migration-files";
import { parseStatements } from "../schema/sql-text";

/**
 * Objects a migration creates are not SQL objects the program can remove: without this, every
 * function or trigger a migration made would read as "removed". Functions are keyed without
 * their arguments, which the parse tree spells differently from the catalog.
 */

type Node = Record<string, any>;

/** Migrations run with search_path public first: an unqualified name lands there. */
const DEFAULT_SCHEMA = "public";

const names = (list: Node[] | undefined) => (list ?? []).map((n) => n.String?.sval as string);

function qualify(schema: string | undefined, name: string): string {
  return `${schema ?? DEFAULT_SCHEMA}.${name}`;
}

/** The key of a created object, or undefined for statements that create none we track. */
function getCreatedKey(node: Node): string | undefined {
  const [kind, body] = Object.entries(node)[0] ?? [];
  switch (kind) {
    case "CreateFunctionStmt": {
      const parts = names(body.funcname);
      const name = parts[parts.length - 1];
      return `function ${qualify(parts.length > 1 ? parts[0] : undefined, name)}`;
    }
    case "ViewStmt":
      return `view ${qualify(body.view.schemaname, body.view.relname)}`;
    case "CreateTrigStmt":
      return `trigger ${body.trigname} on ${qualify(body.relation.schemaname, body.relation.relname)}`;
    case "CreatePolicyStmt":
      return `policy "${body.policy_name}" on ${qualify(body.table.schemaname, body.table.relname)}`;
    default:
      return undefined;
  }
}

/** What an identity is matched on: functions by schema and name only. */
export function getRemovalKey(identity: string): string {
  return identity.startsWith("function ") ? identity.replace(/\(.*\)$/, "") : identity;
}

/** Keys (see getRemovalKey) of the functions, views, triggers and policies migrations create. */
export async function findMigrationObjects(files: readonly MigrationFile[]): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const file of files) {
    for (const statement of await parseStatements(file.sql)) {
      const key = getCreatedKey(statement.node);
      if (key) keys.add(key);
    }
  }
  return keys;
}
