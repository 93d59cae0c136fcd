import type { Client } from "pg";
import { runGates, type Finding } from "../gates/run";
import { describePgError } from "../lib/pg";
import { readHistory } from "../schema/history";
import type { AppliedMigration } from "../schema/migration-plan";
import { formatIdentity, type SqlObjectSpec } from "../schema/sql-object";
import { readFingerprint, runDefinition } from "../schema/sql-object-provider";
import { getDryRunRefusal } from "./dry-run-guard";
import type { ObjectState } from "./plan";

/**
 * Reads what the deployed database has, to compare with the program. Objects are compared by
 * the provider's own catalog fingerprint: each definition runs in one transaction that is
 * always rolled back, so the database is never changed, and the fingerprint it leaves is the
 * one `pulumi up` would record.
 */

/** A dry run must not queue behind a deploy or hold locks for long on a shared server. */
const DRY_RUN_SETTINGS = [
  "set local lock_timeout = '5s'",
  "set local statement_timeout = '60s'",
] as const;

/**
 * The SqlObject provider's search path. Not imported: an exported const would be read through
 * `exports` inside the provider, which Pulumi then serializes whole.
 */
const OBJECT_SEARCH_PATH = "set local search_path to public, extensions";

/** Runs `fn` in a transaction that is rolled back whatever happens. */
async function withRolledBackTransaction<T>(client: Client, fn: () => Promise<T>): Promise<T> {
  await client.query("begin");
  try {
    return await fn();
  } finally {
    await client.query("rollback");
  }
}

/** Current fingerprint of every declared object, then its fingerprint once its definition ran. */
export async function readObjectStates(
  client: Client,
  specs: readonly SqlObjectSpec[],
): Promise<Map<string, ObjectState>> {
  const states = new Map<string, ObjectState>();
  await withRolledBackTransaction(client, async () => {
    for (const statement of DRY_RUN_SETTINGS) await client.query(statement);
    await client.query(OBJECT_SEARCH_PATH);
    for (const spec of specs) {
      states.set(formatIdentity(spec.identity), {
        current: await readFingerprint(client, spec.identity),
      });
    }
    for (const spec of specs) {
      const key = formatIdentity(spec.identity);
      const refusal = await getDryRunRefusal(spec.definition);
      if (refusal) {
        states.set(key, { ...states.get(key), error: refusal });
        continue;
      }
      // A failed definition rolls back alone; the objects after it still run.
      await client.query("savepoint review_object");
      try {
        await runDefinition(client, spec);
        states.set(key, {
          ...states.get(key),
          planned: await readFingerprint(client, spec.identity),
        });
        await client.query("release savepoint review_object");
      } catch (error) {
        await client.query("rollback to savepoint review_object");
        states.set(key, { ...states.get(key), error: describePgError(error) });
      }
    }
  });
  return states;
}

/**
 * Functions, views, triggers, policies and this database's pg_cron jobs, as identities,
 * leaving out the server's schemas and what extensions own. Indexes and RLS switches are not
 * listed: migrations make most indexes, and removing an RLS object never switches RLS off.
 */
const EXISTING_OBJECTS = `
  with own_schema as (
    select n.oid, n.nspname from pg_namespace n
     where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'cron')
       and n.nspname not like 'pg\\_%'
  ), not_extension as (
    select d.objid from pg_depend d where d.deptype = 'e'
  )
  select format('function %s.%s(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)) as identity
    from pg_proc p join own_schema n on n.oid = p.pronamespace
   where p.oid not in (select objid from not_extension)
  union all
  select format('view %s.%s', n.nspname, c.relname)
    from pg_class c join own_schema n on n.oid = c.relnamespace
   where c.relkind = 'v' and c.oid not in (select objid from not_extension)
  union all
  select format('trigger %s on %s.%s', t.tgname, n.nspname, c.relname)
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join own_schema n on n.oid = c.relnamespace
   where not t.tgisinternal
  union all
  select format('policy "%s" on %s.%s', p.policyname, p.schemaname, p.tablename)
    from pg_policies p join own_schema n on n.nspname = p.schemaname`;

const EXISTING_CRON_JOBS = `
  select format('cron_job %s', j.jobname) as identity from cron.job j
   where j.database = current_database() and j.jobname is not null`;

export async function readExistingObjects(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ identity: string }>(EXISTING_OBJECTS);
  const cron = await client.query<{ present: boolean }>(
    "select to_regclass('cron.job') is not null as present",
  );
  const jobs = cron.rows[0].present
    ? (await client.query<{ identity: string }>(EXISTING_CRON_JOBS)).rows
    : [];
  return [...rows, ...jobs].map((r) => r.identity);
}

export interface DeployedState {
  readonly database: string;
  readonly applied: readonly AppliedMigration[];
  readonly states: ReadonlyMap<string, ObjectState>;
  readonly existing: readonly string[];
  readonly gates: readonly Finding[];
}

/** Everything the summary needs from the database, read on one connection. */
export async function readDeployedState(
  client: Client,
  specs: readonly SqlObjectSpec[],
): Promise<DeployedState> {
  const applied = await readHistory(client);
  const states = await readObjectStates(client, specs);
  const existing = await readExistingObjects(client);
  const gates = await runGates(client);
  return { database: client.database ?? "", applied, states, existing, gates };
}
