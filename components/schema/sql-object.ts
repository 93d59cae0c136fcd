import { quoteIdent, quoteLiteral } from "../lib/pg";

export const SQL_OBJECT_KINDS = [
  "function",
  "view",
  "trigger",
  "policy",
  "index",
  "rls",
  "cron_job",
  "database_connect",
] as const;
export type SqlObjectKind = (typeof SQL_OBJECT_KINDS)[number];

/** What names one database object, enough to read it from the catalog and to drop it. */
export type SqlObjectIdentity =
  | {
      readonly kind: "function";
      readonly schema: string;
      readonly name: string;
      readonly args: string;
    }
  | { readonly kind: "view"; readonly schema: string; readonly name: string }
  | {
      readonly kind: "trigger" | "policy";
      readonly name: string;
      readonly schema: string;
      readonly table: string;
    }
  | { readonly kind: "index"; readonly schema: string; readonly name: string }
  /** Row-level security switched on for a table. */
  | { readonly kind: "rls"; readonly schema: string; readonly table: string }
  /** A pg_cron job, by its unique job name, in the database that holds pg_cron. */
  | { readonly kind: "cron_job"; readonly name: string }
  /** Who may connect to a database: PUBLIC's CONNECT revoked, granted to named logins. */
  | { readonly kind: "database_connect"; readonly database: string };

/** A declarative object: its identity, its defining SQL and the objects it needs first. */
export interface SqlObjectSpec {
  readonly identity: SqlObjectIdentity;
  readonly definition: string;
  readonly requires: readonly SqlObjectIdentity[];
  /** Where it came from, for messages: a file path or the declaring component. */
  readonly source: string;
}

const NAME = String.raw`[a-z_][a-z0-9_]*`;
const QUALIFIED = new RegExp(`^(${NAME})\\.(${NAME})$`);
/** Argument types as pg_get_function_identity_arguments prints them, names left out. */
const ARG_TYPES = /^[a-z0-9_ ,.[\]]*$/;

/**
 * Parses the identity written after `-- orgstack:object` or `-- orgstack:requires`:
 *   function orgstack.is_member(uuid)
 *   view public.member_directory
 *   trigger organizations_set_updated_at on public.organizations
 *   policy "members can select their organizations" on public.organizations
 *   index public.projects_organization_id_idx
 *   rls on public.projects
 *   cron_job orgstack-audit-retention
 *   database_connect app_pr_42
 * Returns a problem text instead when the identity is malformed.
 */
export function parseIdentity(text: string): SqlObjectIdentity | string {
  const [kind, ...rest] = text.trim().split(/\s+/);
  const body = text.trim().slice(kind.length).trim();
  const usage =
    `expected 'function <schema>.<name>(<arg types>)', 'view <schema>.<name>', ` +
    `'trigger <name> on <schema>.<table>', 'policy "<name>" on <schema>.<table>', ` +
    `'index <schema>.<name>', 'rls on <schema>.<table>', 'cron_job <name>' or ` +
    `'database_connect <database>'; found '${text.trim()}'.`;
  if (rest.length === 0) return usage;
  if (kind === "function") {
    const match = new RegExp(`^(${NAME})\\.(${NAME})\\(([^)]*)\\)$`).exec(body);
    if (!match || !ARG_TYPES.test(match[3])) return usage;
    const args = match[3]
      .split(",")
      .map((a) => a.trim())
      .filter((a) => a !== "")
      .join(", ");
    return { kind, schema: match[1], name: match[2], args };
  }
  if (kind === "view" || kind === "index") {
    const match = QUALIFIED.exec(body);
    return match ? { kind, schema: match[1], name: match[2] } : usage;
  }
  if (kind === "cron_job") {
    return /^[a-z0-9][a-z0-9_-]*$/.test(body) ? { kind, name: body } : usage;
  }
  if (kind === "database_connect") {
    return new RegExp(`^${NAME}$`).test(body) ? { kind, database: body } : usage;
  }
  if (kind === "rls") {
    const match = /^on\s+(\S+)$/.exec(body);
    const table = match ? QUALIFIED.exec(match[1]) : null;
    return table ? { kind, schema: table[1], table: table[2] } : usage;
  }
  if (kind === "trigger" || kind === "policy") {
    const match = /^(?:"([^"]+)"|([a-z_][a-z0-9_]*))\s+on\s+(\S+)$/.exec(body);
    const table = match ? QUALIFIED.exec(match[3]) : null;
    if (!match || !table) return usage;
    return { kind, name: match[1] ?? match[2], schema: table[1], table: table[2] };
  }
  return usage;
}

/** Like parseIdentity, for identities written in code: a malformed one is a programming error. */
export function getIdentity(text: string): SqlObjectIdentity {
  const parsed = parseIdentity(text);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
}

/** The identity as written in headers; also the SqlObject resource's name in a preview. */
export function formatIdentity(identity: SqlObjectIdentity): string {
  switch (identity.kind) {
    case "function":
      return `function ${identity.schema}.${identity.name}(${identity.args})`;
    case "view":
      return `view ${identity.schema}.${identity.name}`;
    case "trigger":
      return `trigger ${identity.name} on ${identity.schema}.${identity.table}`;
    case "policy":
      return `policy "${identity.name}" on ${identity.schema}.${identity.table}`;
    case "index":
      return `index ${identity.schema}.${identity.name}`;
    case "rls":
      return `rls on ${identity.schema}.${identity.table}`;
    case "cron_job":
      return `cron_job ${identity.name}`;
    case "database_connect":
      return `database_connect ${identity.database}`;
  }
}

function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** Drops the object; never CASCADE, so a dependent object stops the drop with a clear error. */
export function getDropStatement(identity: SqlObjectIdentity): string {
  switch (identity.kind) {
    case "function":
      return `drop function if exists ${qualified(identity.schema, identity.name)}(${identity.args})`;
    case "view":
      return `drop view if exists ${qualified(identity.schema, identity.name)}`;
    case "trigger":
      return `drop trigger if exists ${quoteIdent(identity.name)} on ${qualified(identity.schema, identity.table)}`;
    case "policy":
      return `drop policy if exists ${quoteIdent(identity.name)} on ${qualified(identity.schema, identity.table)}`;
    case "index":
      return `drop index if exists ${qualified(identity.schema, identity.name)}`;
    case "rls":
      return `alter table if exists ${qualified(identity.schema, identity.table)} disable row level security`;
    case "cron_job":
      return `select cron.unschedule(j.jobid) from cron.job j where j.jobname = ${quoteLiteral(identity.name)}`;
    case "database_connect":
      // Replacing never reopens the database: PUBLIC stays shut out.
      return `revoke connect, temporary on database ${quoteIdent(identity.database)} from public`;
  }
}

/**
 * What deleting the resource runs. Removing a table's RLS object never switches RLS off: a
 * table that keeps its grants would expose every organization's rows. Turning RLS off takes
 * a migration, where a reviewer sees it. Likewise a database's connect grants are never
 * handed back to PUBLIC.
 */
export function getDeleteStatement(identity: SqlObjectIdentity): string | undefined {
  return identity.kind === "rls" || identity.kind === "database_connect"
    ? undefined
    : getDropStatement(identity);
}

/**
 * Whether a changed definition must drop the old object first. PostgreSQL has no
 * CREATE OR REPLACE POLICY, and only drop-and-create is exact for triggers; functions and views
 * are replaced in place, falling back to drop-and-create when their shape changes.
 */
export function isReplacedInPlace(identity: SqlObjectIdentity): boolean {
  // cron.schedule() with an existing job name updates that job.
  return (
    identity.kind === "function" ||
    identity.kind === "view" ||
    identity.kind === "cron_job" ||
    identity.kind === "database_connect"
  );
}

/** A query returning one row that describes the object as the catalog has it, or no row. */
export function getCatalogQuery(identity: SqlObjectIdentity): { text: string; values: unknown[] } {
  switch (identity.kind) {
    case "function":
      return {
        text: `select pg_get_functiondef(p.oid) as definition, p.proacl::text as acl
                 from pg_proc p where p.oid = to_regprocedure($1)`,
        values: [`${qualified(identity.schema, identity.name)}(${identity.args})`],
      };
    case "view":
      return {
        text: `select pg_get_viewdef(c.oid) as definition, c.reloptions::text as options, c.relacl::text as acl
                 from pg_class c where c.oid = to_regclass($1) and c.relkind = 'v'`,
        values: [qualified(identity.schema, identity.name)],
      };
    case "trigger":
      return {
        text: `select pg_get_triggerdef(t.oid) as definition, t.tgenabled as enabled
                 from pg_trigger t where t.tgrelid = to_regclass($1) and t.tgname = $2 and not t.tgisinternal`,
        values: [qualified(identity.schema, identity.table), identity.name],
      };
    case "policy":
      return {
        text: `select permissive, roles::text[] as roles, cmd, qual, with_check
                 from pg_policies where schemaname = $1 and tablename = $2 and policyname = $3`,
        values: [identity.schema, identity.table, identity.name],
      };
    case "index":
      return {
        text: `select pg_get_indexdef(c.oid) as definition from pg_class c where c.oid = to_regclass($1) and c.relkind = 'i'`,
        values: [qualified(identity.schema, identity.name)],
      };
    case "rls":
      return {
        text: `select c.relforcerowsecurity as forced from pg_class c where c.oid = to_regclass($1) and c.relrowsecurity`,
        values: [qualified(identity.schema, identity.table)],
      };
    case "cron_job":
      return {
        text: `select schedule, command, database, username, active from cron.job where jobname = $1`,
        values: [identity.name],
      };
    case "database_connect":
      return {
        text: `select d.datacl::text as acl from pg_database d where d.datname = $1`,
        values: [identity.database],
      };
  }
}

/**
 * getCatalogQuery with its values quoted into the text, so it can follow a definition in one
 * round trip (a multi-statement text takes no parameters).
 */
export function getCatalogQueryText(identity: SqlObjectIdentity): string {
  const { text, values } = getCatalogQuery(identity);
  return text.replace(/\$(\d+)/g, (_, n: string) => quoteLiteral(String(values[Number(n) - 1])));
}
