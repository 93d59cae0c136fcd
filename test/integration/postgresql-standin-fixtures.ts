import * as crypto from "crypto";
import { quoteIdent, withClient } from "../../components/lib/pg";
import {
  POSTGRESQL_TYPES,
  type PostgresqlProviderConfig,
} from "../../tools/engine/postgresql-standin";
import {
  createTestDatabase,
  getServerUrl,
  type TestDatabase,
} from "../../tools/testing/test-database";

/** Shared by the postgresql-standin-*.test.ts files: their database, providers and queries. */

export const { role: ROLE, grantRole: GRANT_ROLE, database: DATABASE } = POSTGRESQL_TYPES;
export const { schema: SCHEMA, extension: EXTENSION } = POSTGRESQL_TYPES;

/** Roles are cluster-wide and other files use the platform roles: ours carry a random suffix. */
export const SUFFIX = crypto.randomBytes(4).toString("hex");
const roleNames: string[] = [];
const databaseNames: string[] = [];

export function getRoleName(key: string): string {
  const name = `standin_${SUFFIX}_${key}`;
  roleNames.push(name);
  return name;
}

export function getDatabaseName(key: string): string {
  const name = `standin_${SUFFIX}_${key}`;
  databaseNames.push(name);
  return name;
}

/** A provider as the program configures it, from an admin URL. */
function getProviderConfig(url: string): PostgresqlProviderConfig {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port),
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)),
    sslmode: "disable",
    superuser: true,
  };
}

export async function query(url: string, sql: string, values: unknown[] = []) {
  return (await withClient(url, (client) => client.query(sql, values))).rows;
}

export async function getMemberships(url: string, role: string): Promise<string[]> {
  const rows = await query(
    url,
    `select pg_get_userbyid(roleid) as name from pg_auth_members
      where member = (select oid from pg_roles where rolname = $1) order by 1`,
    [role],
  );
  return rows.map((row) => row.name);
}

export async function hasRole(url: string, role: string): Promise<boolean> {
  return (await query(url, "select 1 from pg_roles where rolname = $1", [role])).length > 0;
}

export async function getTableOwner(url: string, table: string): Promise<string | undefined> {
  const rows = await query(url, "select tableowner from pg_tables where tablename = $1", [table]);
  return rows[0]?.tableowner;
}

export async function expectRejection(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error?.message).toBe(message);
}

export function getThrownMessage(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Set by `useStandInDatabase`'s beforeAll; importers see the value through the live binding. */
export let database: TestDatabase;
/** The stack's provider: connected to the stack's database. */
export let provider: PostgresqlProviderConfig;
/** The server provider: connected to the maintenance database, as for Database resources. */
export let serverProvider: PostgresqlProviderConfig;

/** Creates the file's database before its tests; drops it and the roles and databases they named after. */
export function useStandInDatabase(): void {
  beforeAll(async () => {
    database = await createTestDatabase("standin");
    provider = getProviderConfig(database.url);
    serverProvider = getProviderConfig(database.serverUrl);
  });

  afterAll(async () => {
    await database.drop();
    const serverUrl = getServerUrl();
    for (const name of databaseNames)
      await query(serverUrl, `drop database if exists ${quoteIdent(name)} with (force)`);
    for (const name of roleNames) await query(serverUrl, `drop role if exists ${quoteIdent(name)}`);
  });
}
