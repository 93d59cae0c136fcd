import { quoteIdent, withClient } from "../../components/lib/pg";

/** One security object whose removal the pgTAP suites must notice. */
export interface Mutant {
  readonly kind: "policy" | "trigger";
  readonly schema: string;
  readonly table: string;
  readonly name: string;
}

/**
 * Every policy in schema public, and every guard trigger: a trigger whose function is named
 * trigger_guard_* or trigger_prevent_* (orgstack.trigger_guard_tenant_row,
 * orgstack.trigger_guard_member_change, orgstack.trigger_guard_organization and
 * audit.trigger_prevent_change today). Those are the triggers that refuse a change; the others
 * (audit, activity, notifications, counters, updated_at, creator-as-owner, profile creation)
 * record or derive data and protect nothing. Read from the deployed catalog, so a new policy
 * or guard becomes a mutant without a change here.
 */
const MUTANTS_QUERY = `
  select 'policy' as kind, p.schemaname as schema, p.tablename as table, p.policyname as name
    from pg_catalog.pg_policies p
   where p.schemaname = 'public'
  union all
  select 'trigger', n.nspname, c.relname, t.tgname
    from pg_catalog.pg_trigger t
    join pg_catalog.pg_class c on c.oid = t.tgrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    join pg_catalog.pg_proc f on f.oid = t.tgfoid
   where not t.tgisinternal
     and (f.proname like 'trigger\\_guard\\_%' or f.proname like 'trigger\\_prevent\\_%')
   order by 1, 2, 3, 4`;

/** The mutants of the database at `url`, policies first, each group by table and name. */
export async function listMutants(url: string): Promise<Mutant[]> {
  const { rows } = await withClient(url, (c) => c.query<Mutant>(MUTANTS_QUERY));
  return rows;
}

/** The DDL that removes just this object. */
export function getDropStatement(mutant: Mutant): string {
  const table = `${quoteIdent(mutant.schema)}.${quoteIdent(mutant.table)}`;
  return `drop ${mutant.kind} ${quoteIdent(mutant.name)} on ${table}`;
}

/** "policy public.organizations "owners can delete organizations"" */
export function describeMutant(mutant: Mutant): string {
  return `${mutant.kind} ${mutant.schema}.${mutant.table} "${mutant.name}"`;
}
