/**
 * Security gates: catalog queries that find what breaks tenant isolation or performance.
 * Each query returns rows of (object, detail); checks scoped to the exposed schemas take them
 * as $1 (text[]), the others look at every schema but the server's own.
 * Objects that belong to extensions are never reported: they are not ours to fix.
 */

export type Severity = "error" | "warning";

export interface GateCheck {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  /** How to fix one finding; `{object}` is replaced by the object's name. */
  readonly fix: string;
  /** `exposed`: only the schemas the API serves; `all`: every non-system schema. */
  readonly scope: "exposed" | "all";
  readonly query: string;
}

/** Schemas of the server itself, never checked. */
const SYSTEM_SCHEMAS = `n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg\\_temp%' and n.nspname not like 'pg\\_toast\\_temp%'`;

const NOT_EXTENSION_MEMBER = (classTable: string, oid: string) =>
  `not exists (select 1 from pg_depend d where d.classid = '${classTable}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;

/**
 * The auth service's schema (Supabase's, or orgstack's shim of it). Its functions are inlined
 * SQL with qualified names and are not ours to change, as Supabase's own linter treats them.
 */
const PLATFORM_SCHEMAS = `n.nspname not in ('auth')`;

const AUTH_CALL = `auth\\.(uid|jwt|role|email)\\(\\)`;

export const GATE_CHECKS: readonly GateCheck[] = [
  {
    id: "rls_disabled",
    severity: "error",
    title: "exposed table without row-level security",
    fix: "alter table {object} enable row level security; then add policies",
    scope: "exposed",
    query: `
      select format('%I.%I', n.nspname, c.relname) as object, 'row-level security is disabled' as detail
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p') and n.nspname = any($1) and not c.relrowsecurity
         and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}`,
  },
  {
    id: "rls_without_policy",
    severity: "error",
    title: "row-level security on, but no policy",
    fix: "add a policy per command to {object}, or declare it as a TenantTable",
    scope: "exposed",
    query: `
      select format('%I.%I', n.nspname, c.relname) as object, 'no policy: every API request sees nothing' as detail
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p') and n.nspname = any($1) and c.relrowsecurity
         and not exists (select 1 from pg_policy p where p.polrelid = c.oid)
         and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}`,
  },
  {
    id: "write_policy_true",
    severity: "error",
    title: "write policy that lets every row through",
    fix: "give {object} a condition on organization_id or the owner",
    scope: "exposed",
    query: `
      select format('%s on %I.%I', quote_ident(policyname), schemaname, tablename) as object,
             format('%s policy for %s is true', cmd, array_to_string(roles, ', ')) as detail
        from pg_policies
       where schemaname = any($1) and permissive = 'PERMISSIVE' and cmd in ('INSERT', 'UPDATE', 'DELETE', 'ALL')
         and (qual = 'true' or with_check = 'true')`,
  },
  {
    id: "unwrapped_auth_call",
    severity: "warning",
    title: "auth function called per row in a policy",
    fix: "wrap the call as (select auth.uid()) in {object} so it runs once per statement",
    scope: "exposed",
    query: `
      select format('%s on %I.%I', quote_ident(policyname), schemaname, tablename) as object,
             format('%s call(s) not wrapped in a select', total - wrapped) as detail
        from (
          select policyname, schemaname, tablename,
                 regexp_count(coalesce(qual, '') || ' ' || coalesce(with_check, ''), '${AUTH_CALL}') as total,
                 regexp_count(coalesce(qual, '') || ' ' || coalesce(with_check, ''), 'SELECT ${AUTH_CALL}') as wrapped
            from pg_policies where schemaname = any($1)
        ) calls
       where total > wrapped`,
  },
  {
    id: "foreign_key_without_index",
    severity: "warning",
    title: "foreign key without a covering index",
    fix: "create an index on {object} that starts with the key's columns",
    scope: "all",
    query: `
      select format('%s (%s)', c.conrelid::regclass,
               (select string_agg(quote_ident(a.attname), ', ' order by k.ord)
                  from unnest(c.conkey) with ordinality k(attnum, ord)
                  join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum)) as object,
             format('constraint %I', c.conname) as detail
        from pg_constraint c join pg_namespace n on n.oid = c.connamespace
       where c.contype = 'f' and ${SYSTEM_SCHEMAS}
         and ${NOT_EXTENSION_MEMBER("pg_class", "c.conrelid")}
         and not exists (
           select 1 from pg_index i
            where i.indrelid = c.conrelid
              and array(select unnest((i.indkey::int2[])[0:cardinality(c.conkey) - 1]) order by 1)
                = array(select unnest(c.conkey) order by 1)
         )`,
  },
  {
    id: "mutable_search_path",
    severity: "error",
    title: "function without a fixed search_path",
    fix: "add set search_path = '' to {object} and qualify every name",
    scope: "all",
    query: `
      select p.oid::regprocedure::text as object,
             case when p.prosecdef then 'security definer, search_path not set' else 'search_path not set' end as detail
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where ${SYSTEM_SCHEMAS} and ${PLATFORM_SCHEMAS} and p.prokind in ('f', 'p')
         and p.prolang in (select oid from pg_language where lanname in ('sql', 'plpgsql'))
         and not exists (select 1 from unnest(p.proconfig) setting where setting like 'search_path=%')
         and ${NOT_EXTENSION_MEMBER("pg_proc", "p.oid")}`,
  },
  {
    id: "view_without_security_invoker",
    severity: "error",
    title: "exposed view that bypasses row-level security",
    fix: "alter view {object} set (security_invoker = true)",
    scope: "exposed",
    query: `
      select format('%I.%I', n.nspname, c.relname) as object, 'runs with its owner''s rights' as detail
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind = 'v' and n.nspname = any($1)
         and not coalesce(c.reloptions::text[] && array['security_invoker=true', 'security_invoker=on', 'security_invoker=1'], false)
         and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}`,
  },
  {
    id: "multiple_permissive_policies",
    severity: "warning",
    title: "several permissive policies for one role and command",
    fix: "merge the policies of {object} into one (each is evaluated for every row)",
    scope: "exposed",
    query: `
      select format('%I.%I for %s to %s', schemaname, tablename, cmd, role) as object,
             string_agg(quote_ident(policyname), ', ' order by policyname) as detail
        from pg_policies, unnest(roles) role
       where schemaname = any($1) and permissive = 'PERMISSIVE'
       group by schemaname, tablename, cmd, role
      having count(*) > 1`,
  },
  {
    id: "table_without_primary_key",
    severity: "warning",
    title: "exposed table without a primary key",
    fix: "add a primary key to {object}",
    scope: "exposed",
    query: `
      select format('%I.%I', n.nspname, c.relname) as object, 'no primary key' as detail
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p') and n.nspname = any($1)
         and not exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'p')
         and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}`,
  },
  {
    id: "definer_executable_by_anon",
    severity: "error",
    title: "security definer function that anon can execute",
    fix: "revoke execute on function {object} from public, anon",
    scope: "all",
    query: `
      select p.oid::regprocedure::text as object, 'anon may execute it with its owner''s rights' as detail
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where p.prosecdef and ${SYSTEM_SCHEMAS}
         and exists (select 1 from pg_roles where rolname = 'anon')
         and has_function_privilege('anon', p.oid, 'execute')
         and ${NOT_EXTENSION_MEMBER("pg_proc", "p.oid")}`,
  },
];
