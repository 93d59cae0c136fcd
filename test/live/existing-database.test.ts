import * as crypto from "crypto";
import * as fs from "fs";
import {
  getClientConfig,
  quoteIdent,
  withClient,
  withDatabase,
  type DatabaseConnection,
} from "../../components/lib/pg";
import { withApiRequest } from "../../tools/testing/api-request";
import type { DeploymentError, EngineHarness, StackRunOptions } from "../../tools/engine/harness";
import {
  copyProgram,
  createHarness,
  createStackAdmin,
  dropStackAdmin,
  type StackAdmin,
} from "../../tools/testing/live-stack";
import { getServerUrl } from "../../tools/testing/test-database";

const API_GRANTS = `
  select has_table_privilege('authenticated', 'public.organizations', 'select') as authenticated,
         has_table_privilege('service_role', 'public.organizations', 'select') as service_role`;

/** Tables in public whose row-level security is off: must stay empty. */
const TABLES_WITHOUT_RLS = `
  select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where n.nspname = 'public' and c.relkind = 'r' and not c.relrowsecurity order by 1`;

describe("live: a stack on an existing database it does not own", () => {
  const serverUrl = getServerUrl();
  const databaseName = `existing_${crypto.randomBytes(3).toString("hex")}`;
  const appUrl = withDatabase(serverUrl, databaseName);
  let programDir: string;
  let harness: EngineHarness;
  let admin: StackAdmin;
  const options = (protect: boolean): StackRunOptions => {
    const url = new URL(serverUrl);
    return {
      stack: "shared-existing",
      config: {
        "orgstack:environment": "staging",
        "orgstack:protect": protect,
        "orgstack:database": {
          mode: "existing",
          host: url.hostname,
          port: Number(url.port),
          adminUser: admin.user,
          name: databaseName,
          sslmode: "disable",
        },
      },
      secrets: { "orgstack:databasePassword": admin.password },
    };
  };
  const query = async (sql: string) => (await withClient(appUrl, (c) => c.query(sql))).rows;

  beforeAll(async () => {
    programDir = copyProgram();
    harness = createHarness(programDir);
    admin = await createStackAdmin(serverUrl);
    await withClient(serverUrl, (c) => c.query(`create database ${quoteIdent(databaseName)}`));
    // Installed before the stack existed, as Supabase preinstalls it.
    await query("create schema extensions; create extension pgcrypto schema extensions");
  });

  afterAll(async () => {
    await harness.close();
    await withClient(serverUrl, (c) =>
      c.query(`drop database if exists ${quoteIdent(databaseName)} with (force)`),
    );
    await dropStackAdmin(serverUrl, admin);
    fs.rmSync(programDir, { recursive: true, force: true });
  });

  it("refuses to destroy a protected stack at its preview, deleting nothing", async () => {
    await harness.up(options(true));
    const resources = harness.resources.length;
    const refusal = (await harness.destroy().catch((e: unknown) => e)) as DeploymentError;
    expect(refusal.message).toMatch(/^destroy preview failed:\n/);
    expect(refusal.failures.map((f) => f.name).sort()).toEqual([
      "orgstack-extension-pg_stat_statements",
      "orgstack-extension-pgcrypto",
      "orgstack-extension-uuid-ossp",
      "orgstack-extensions-schema",
      "orgstack-migrations",
      "orgstack-role-authenticator",
      "orgstack-role-backup",
      "orgstack-role-monitor",
    ]);
    const migrations = harness.resources.find((r) => r.name === "orgstack-migrations")!;
    expect(refusal.failures.find((f) => f.name === "orgstack-migrations")?.message).toBe(
      `resource "${migrations.urn}" cannot be deleted\nbecause it is protected. To unprotect the ` +
        "resource, either remove the `protect` flag from the resource in your Pulumi program and " +
        `run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${migrations.urn}'\``,
    );
    expect(harness.resources.length).toBe(resources);
    expect(await query("select count(*)::int as n from pg_policy")).not.toEqual([{ n: 0 }]);
  });

  it("on destroy keeps the data, RLS on every table and the extensions it did not bring", async () => {
    await harness.up(options(false));
    await query(
      "insert into auth.users (email) values ('grace@example.com'); " +
        "insert into public.organizations (name, slug, created_by) " +
        "select 'Navy', 'navy', id from auth.users",
    );
    await harness.destroy();
    expect(harness.resources).toEqual([]);
    expect(await query("select count(*)::int as n from public.organizations")).toEqual([{ n: 1 }]);
    expect(await query(TABLES_WITHOUT_RLS)).toEqual([]);
    expect(await query("select count(*)::int as n from pg_policy")).toEqual([{ n: 0 }]);
    expect(
      await query("select extname from pg_extension where extname <> 'plpgsql' order by 1"),
    ).toEqual([
      { extname: "pg_stat_statements" },
      { extname: "pgcrypto" },
      { extname: "uuid-ossp" },
    ]);
    // What the retained schema granted the API roles stays: the next up cannot grant it again.
    expect(await query(API_GRANTS)).toEqual([{ authenticated: true, service_role: true }]);
  });

  it("comes back after destroy with the API working", async () => {
    const { run } = await harness.up(options(false));
    const connections = run?.outputs.connections as Record<string, DatabaseConnection>;
    const grace = (await query("select id from auth.users"))[0].id as string;
    const config = getClientConfig(connections.authenticator, "orgstack live test");
    const visible = await withApiRequest(config, { userId: grace, role: "authenticated" }, (c) =>
      c.query("select name from public.organizations"),
    );
    expect(visible.rows).toEqual([{ name: "Navy" }]);
    await harness.destroy();
  });
});
