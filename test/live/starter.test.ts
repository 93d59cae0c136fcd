import * as crypto from "crypto";
import { formatFindings, runGates } from "../../components/gates";
import { getClientConfig, withClient, withDatabase } from "../../components/lib/pg";
import type { DatabaseConnection } from "../../components/lib/pg";
import type { EngineHarness } from "../../tools/engine/harness";
import { STARTER_DIR } from "../../tools/engine/program";
import { createUser, withApiRequest, type ApiCaller } from "../../tools/testing/api-request";
import {
  countStackLeftovers,
  createHarness,
  createStackAdmin,
  dropStackAdmin,
  getStackOptions,
  type StackAdmin,
} from "../../tools/testing/live-stack";
import { getServerUrl } from "../../tools/testing/test-database";

describe("live: examples/starter, a program of its own on the library", () => {
  const serverUrl = getServerUrl();
  const number = crypto.randomInt(1000, 9999);
  const databaseName = `app_pr_${number}`;
  const appUrl = withDatabase(serverUrl, databaseName);
  let harness: EngineHarness;
  let admin: StackAdmin;
  let connections: Record<string, DatabaseConnection>;

  beforeAll(async () => {
    harness = createHarness(STARTER_DIR);
    admin = await createStackAdmin(serverUrl);
  });
  afterAll(async () => {
    await harness.destroy().catch(() => undefined);
    await harness.close();
    await dropStackAdmin(serverUrl, admin);
  });

  /** A request through the starter's own authenticator. */
  const asUser = <T>(caller: ApiCaller, sql: string, values: unknown[] = []) =>
    withApiRequest(
      getClientConfig(connections.authenticator, "orgstack live test"),
      caller,
      async (c) => (await c.query(sql, values)).rows as T[],
    );

  it("comes up with its own migration and table, and passes every security gate", async () => {
    const options = getStackOptions(serverUrl, admin, {
      stackFile: "ci",
      stack: `pr-${number}`,
      programDir: STARTER_DIR,
    });
    const { run } = await harness.up(options);
    connections = run?.outputs.connections as Record<string, DatabaseConnection>;
    const history = await withClient(appUrl, (c) =>
      c.query(
        "select version || '_' || name as file from orgstack.schema_migrations where track = 'app'",
      ),
    );
    expect(history.rows).toEqual([{ file: "0001_create_notes" }]);
    const findings = await withClient(appUrl, (client) => runGates(client));
    expect(formatFindings(findings)).toBe("Security gates: no findings (0 errors, 0 warnings).");
    expect((await harness.up(options)).steps).toEqual([]);
  });

  it("lets a member write notes that another organization never sees", async () => {
    const [ada, grace] = await Promise.all([
      createUser(appUrl, "ada@example.com"),
      createUser(appUrl, "grace@example.com"),
    ]);
    const [engines] = await asUser<{ id: string }>(
      ada,
      "select id from public.create_organization('Engines', 'engines')",
    );
    await asUser(grace, "select id from public.create_organization('Navy', 'navy')");
    await asUser(ada, "insert into public.notes (organization_id, body) values ($1, 'Note G')", [
      engines.id,
    ]);
    expect(await asUser(ada, "select body from public.notes")).toEqual([{ body: "Note G" }]);
    expect(await asUser(grace, "select body from public.notes")).toEqual([]);
    // Its own SQL object, from its own objects folder, answers under RLS.
    const count = "select public.count_notes($1) as n";
    expect(await asUser(ada, count, [engines.id])).toEqual([{ n: "1" }]);
    expect(await asUser(grace, count, [engines.id])).toEqual([{ n: "0" }]);
    await expect(
      asUser(grace, "insert into public.notes (organization_id, body) values ($1, 'x')", [
        engines.id,
      ]),
    ).rejects.toThrow('new row violates row-level security policy for table "notes"');
  });

  it("leaves nothing of the stack behind on destroy", async () => {
    await harness.destroy();
    expect(await countStackLeftovers(serverUrl, databaseName)).toEqual({ databases: 0, roles: 0 });
  });
});
