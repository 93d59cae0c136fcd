import * as crypto from "crypto";
import {
  getConnectionFromUrl,
  quoteIdent,
  withClient,
  withDatabase,
  type DatabaseConnection,
} from "../../components/lib/pg";
import { validateStackConfig } from "../../components/config";
import type { LoginRoleKey } from "../../components/database/naming";
import { planDatabase, type RoleSpec } from "../../components/database/plan";
import { TEST_DATABASE_URL_ENV } from "./cluster";

export interface TestDatabase {
  readonly name: string;
  /** Admin URL of this database. */
  readonly url: string;
  /** Admin URL of the server's maintenance database. */
  readonly serverUrl: string;
  drop(): Promise<void>;
}

export function getServerUrl(): string {
  const url = process.env[TEST_DATABASE_URL_ENV];
  if (!url)
    throw new Error(
      `'${TEST_DATABASE_URL_ENV}' is not set: run the tests through jest's global setup.`,
    );
  return url;
}

/** A fresh, empty database for one test file; drop() removes it again. */
export async function createTestDatabase(prefix = "orgstack_test"): Promise<TestDatabase> {
  const serverUrl = getServerUrl();
  const name = `${prefix}_${crypto.randomBytes(4).toString("hex")}`;
  await withClient(serverUrl, (client) => client.query(`create database ${quoteIdent(name)}`));
  return {
    name,
    url: withDatabase(serverUrl, name),
    serverUrl,
    drop: () =>
      withClient(serverUrl, (client) =>
        client.query(`drop database if exists ${quoteIdent(name)} with (force)`),
      ).then(() => undefined),
  };
}

/** The admin connection to a test database, as the database layer hands it to providers. */
export function getConnection(database: Pick<TestDatabase, "url">): DatabaseConnection {
  return getConnectionFromUrl(database.url);
}

export interface TestLoginRole {
  readonly name: string;
  /** This role's URL of the database, password included. */
  readonly url: string;
  drop(): Promise<void>;
}

/** A login role with a plan's attributes and a random name and password, on the test server. */
export async function createLoginRole(
  database: Pick<TestDatabase, "url" | "serverUrl">,
  spec: Pick<RoleSpec, "key" | "inherit" | "bypassRowLevelSecurity" | "memberOf">,
): Promise<TestLoginRole> {
  const name = `orgstack_test_${spec.key}_${crypto.randomBytes(4).toString("hex")}`;
  const password = crypto.randomBytes(16).toString("hex");
  await withClient(database.serverUrl, async (client) => {
    const attributes = [
      "login",
      spec.inherit ? "inherit" : "noinherit",
      spec.bypassRowLevelSecurity ? "bypassrls" : "nobypassrls",
    ];
    await client.query(
      `create role ${quoteIdent(name)} ${attributes.join(" ")} password ${client.escapeLiteral(password)}`,
    );
    for (const group of spec.memberOf) {
      await client.query(`grant ${quoteIdent(group)} to ${quoteIdent(name)}`);
    }
  });
  const url = new URL(database.url);
  url.username = name;
  url.password = password;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withClient(database.serverUrl, (client) =>
        client.query(`drop role if exists ${quoteIdent(name)}`),
      ).then(() => undefined),
  };
}

/** A login role as the database plan declares it for a plain-Postgres stack (container mode). */
export function getPlannedLoginRole(key: LoginRoleKey): RoleSpec {
  const config = validateStackConfig({
    stack: "local",
    values: { environment: "local", database: JSON.stringify({ mode: "container" }) },
    secretKeys: new Set(),
  });
  return planDatabase(config).loginRoles.find((role) => role.key === key)!;
}
