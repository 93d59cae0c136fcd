import { describePgError, quoteIdent, withClient, withDatabase } from "../lib/pg";
import { isEphemeralDatabaseName, isTemplateDatabaseName } from "./naming";
import { parseStamp } from "./stamp";
import { planSweep, type DatabaseRow, type SweepPlan } from "./sweep-plan";
import { withTemplateLock } from "./template";

const LIST_DATABASES = `
  select d.datname as name, shobj_description(d.oid, 'pg_database') as comment,
         d.datistemplate as "isTemplate"
    from pg_database d
   where d.datname like 'app\\_%'`;

/** The latest migration applied in a PR database that carries no stamp; undefined if none. */
async function readLastMigration(serverUrl: string, database: string): Promise<Date | undefined> {
  try {
    return await withClient(withDatabase(serverUrl, database), async (client) => {
      const { rows } = await client.query(
        "select max(applied_at) as at from orgstack.schema_migrations",
      );
      return rows[0]?.at ?? undefined;
    });
  } catch {
    // No history table, or the database refuses connections: nothing to go by.
    return undefined;
  }
}

/** PR databases and templates on the server, with what the plan needs to date them. */
export async function readSweepCandidates(serverUrl: string): Promise<DatabaseRow[]> {
  const { rows } = await withClient(serverUrl, (client) =>
    client.query<DatabaseRow>(LIST_DATABASES),
  );
  const candidates = rows.filter(
    (row) => isEphemeralDatabaseName(row.name) || isTemplateDatabaseName(row.name),
  );
  return Promise.all(
    candidates.map(async (row) =>
      isEphemeralDatabaseName(row.name) && !parseStamp(row.comment)
        ? { ...row, lastMigrationAt: await readLastMigration(serverUrl, row.name) }
        : row,
    ),
  );
}

export interface SweepOptions {
  readonly serverUrl: string;
  readonly olderThanMs: number;
  readonly currentTemplate?: string;
  readonly dryRun: boolean;
  readonly now?: Date;
}

export interface SweepResult {
  readonly plan: SweepPlan;
  /** `<database>: <reason>` for each drop that failed; the others went ahead. */
  readonly failures: readonly string[];
}

/** Plans under the template lock, so no clone copies a template while it is dropped. */
export async function sweep(options: SweepOptions): Promise<SweepResult> {
  return withClient(options.serverUrl, (client) =>
    withTemplateLock(client, "exclusive", async () => {
      const plan = planSweep({
        databases: await readSweepCandidates(options.serverUrl),
        now: options.now ?? new Date(),
        olderThanMs: options.olderThanMs,
        currentTemplate: options.currentTemplate,
      });
      const failures: string[] = [];
      if (options.dryRun) return { plan, failures };
      for (const drop of plan.drop) {
        try {
          const name = quoteIdent(drop.database);
          await client.query(`alter database ${name} is_template false`);
          await client.query(`drop database ${name} with (force)`);
          for (const role of drop.roles)
            await client.query(`drop role if exists ${quoteIdent(role)}`);
        } catch (error) {
          failures.push(`${drop.database}: ${describePgError(error)}`);
        }
      }
      return { plan, failures };
    }),
  );
}
