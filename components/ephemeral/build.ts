import type { Flavor } from "../config";
import { platformRolesProvider } from "../database/platform-roles-provider";
import { EXTENSIONS_SCHEMA, getExtensions, getPlatformRoleSpecs } from "../database/plan";
import {
  describePgError,
  getConnectionFromUrl,
  quoteIdent,
  withClient,
  withTransaction,
} from "../lib/pg";
import { migrate } from "../schema/migrate";
import { getMigrationFiles, getSqlObjects, type AppSchema } from "../schema/schema";
import { formatIdentity, getDropStatement, isReplacedInPlace } from "../schema/sql-object";

/**
 * The extensions a server-mode stack creates (pg_cron is off there); a PR stack's `up` creates
 * them IF NOT EXISTS, so the clone's are adopted.
 */
const TEMPLATE_EXTENSIONS = getExtensions({ pgCron: false });

/** A template build waits this long for another deploy's migration lock. */
const LOCK_TIMEOUT_MS = 30_000;

export interface BuildSchemaOptions {
  readonly url: string;
  readonly app: AppSchema;
  readonly flavor: Flavor;
}

/**
 * What a server-mode `up` puts in a new database before any tenant table: extensions, the
 * shared platform roles' use, every migration (with its history) and every declared object.
 * Objects go in one transaction on one connection: the engine's one connection per object is
 * what makes a cold `up` slow, and a template needs no per-object state.
 */
export async function buildSchema(options: BuildSchemaOptions): Promise<void> {
  const connection = getConnectionFromUrl(options.url);
  await withClient(options.url, async (client) => {
    await client.query(`create schema if not exists ${quoteIdent(EXTENSIONS_SCHEMA)}`);
    for (const { name, schema } of TEMPLATE_EXTENSIONS) {
      await client.query(
        `create extension if not exists ${quoteIdent(name)} schema ${quoteIdent(schema ?? EXTENSIONS_SCHEMA)}`,
      );
    }
  });
  await platformRolesProvider.create!({ connection, roles: getPlatformRoleSpecs() });
  const files = getMigrationFiles(options.app, options.flavor);
  await migrate({ connection, files, lockTimeoutMs: LOCK_TIMEOUT_MS });
  await applyObjects(options.url, getSqlObjects(options.app, []));
}

async function applyObjects(url: string, specs: ReturnType<typeof getSqlObjects>): Promise<void> {
  await withClient(url, (client) =>
    withTransaction(client, async () => {
      await client.query("set local search_path to public, extensions");
      for (const spec of specs) {
        try {
          if (!isReplacedInPlace(spec.identity))
            await client.query(getDropStatement(spec.identity));
          await client.query(spec.definition);
        } catch (error) {
          throw new Error(
            `Could not apply ${formatIdentity(spec.identity)} from '${spec.source}' to the ` +
              `template; nothing of the objects was kept: ${describePgError(error)}`,
            { cause: error },
          );
        }
      }
    }),
  );
}
