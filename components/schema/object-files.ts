import * as fs from "fs";
import * as path from "path";
import { defineProblemListError, type ProblemListError } from "../lib/problems";
import { readHeaderDirectives } from "./headers";
import {
  formatIdentity,
  parseIdentity,
  type SqlObjectIdentity,
  type SqlObjectSpec,
} from "./sql-object";

/** Folder name under sql/objects/<schema>/ for each kind. */
export const KIND_FOLDERS: Readonly<Record<SqlObjectIdentity["kind"], string>> = {
  function: "functions",
  view: "views",
  trigger: "triggers",
  policy: "policies",
  index: "indexes",
  rls: "rls",
  cron_job: "cron",
  // Declared in code only (components/database/connect.ts), never in a file.
  database_connect: "database",
};

/** `new SqlObjectError(problems)`: every problem found in the object files and their graph. */
export const SqlObjectError = defineProblemListError(
  "SqlObjectError",
  () => "Invalid SQL objects:",
);
export type SqlObjectError = ProblemListError;

/** Parses one object file: `source` is its path relative to the project, for messages. */
export function parseObjectFile(
  source: string,
  sql: string,
): { spec?: SqlObjectSpec; problems: string[] } {
  const problems: string[] = [];
  let identity: SqlObjectIdentity | undefined;
  const requires: SqlObjectIdentity[] = [];
  for (const { directive, argument, line, text } of readHeaderDirectives(sql)) {
    const at = `'${source}' line ${line}`;
    if (directive !== "object" && directive !== "requires") {
      problems.push(
        `${at}: unknown header '${text}'. Allowed: '-- orgstack:object <identity>', '-- orgstack:requires <identity>'.`,
      );
      continue;
    }
    const parsed = parseIdentity(argument);
    if (typeof parsed === "string") {
      problems.push(`${at}: ${parsed}`);
    } else if (directive === "requires") {
      requires.push(parsed);
    } else if (identity) {
      problems.push(`${at}: a second '-- orgstack:object' header; keep one object per file.`);
    } else {
      identity = parsed;
    }
  }
  if (!identity && problems.length === 0) {
    problems.push(
      `'${source}' has no '-- orgstack:object <identity>' header naming what it defines.`,
    );
  }
  const [schemaFolder, kindFolder] = source.split("/").slice(-3, -1);
  // pg_cron jobs live in pg_cron's own schema.
  const schema = identity && "schema" in identity ? identity.schema : "cron";
  if (identity && (KIND_FOLDERS[identity.kind] !== kindFolder || schema !== schemaFolder)) {
    problems.push(
      `'${source}' defines ${formatIdentity(identity)}, so it belongs in ` +
        `sql/objects/${schema}/${KIND_FOLDERS[identity.kind]}/.`,
    );
  }
  if (problems.length > 0 || !identity) return { problems };
  return { spec: { identity, definition: sql, requires, source }, problems };
}

/** Reads sql/objects/<schema>/<kind>/<name>.sql, sorted by path; throws listing every problem. */
export function readObjectDirectory(root: string, relativeTo: string): SqlObjectSpec[] {
  if (!fs.existsSync(root)) return [];
  const specs: SqlObjectSpec[] = [];
  const problems: string[] = [];
  const files = fs
    .readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".sql"))
    .sort();
  for (const file of files) {
    const fullPath = path.join(root, file);
    const source = path.relative(relativeTo, fullPath).split(path.sep).join("/");
    const parsed = parseObjectFile(source, fs.readFileSync(fullPath, "utf8"));
    problems.push(...parsed.problems);
    if (parsed.spec) specs.push(parsed.spec);
  }
  SqlObjectError.throwIfAny(problems);
  return specs;
}

/** Checks that identities are unique and every `requires` names a declared object. */
export function validateObjectGraph(specs: readonly SqlObjectSpec[]): void {
  const problems: string[] = [];
  const declared = new Map<string, string>();
  for (const spec of specs) {
    const key = formatIdentity(spec.identity);
    const other = declared.get(key);
    if (other) problems.push(`${key} is defined twice: in '${other}' and in '${spec.source}'.`);
    declared.set(key, spec.source);
  }
  for (const spec of specs) {
    for (const required of spec.requires) {
      const key = formatIdentity(required);
      if (!declared.has(key))
        problems.push(
          `'${spec.source}' requires ${key}, which no object file or component declares.`,
        );
    }
  }
  SqlObjectError.throwIfAny(problems);
}
