import * as fs from "fs";
import { getClientConfig, withClient, withDatabase } from "../../components/lib/pg";
import type { DatabaseConnection } from "../../components/lib/pg";
import type { EngineHarness, StackRunOptions } from "../../tools/engine/harness";
import { TLS_ONLY_DATABASE } from "../../tools/testing/cluster";
import {
  copyProgram,
  createHarness,
  createStackAdmin,
  dropStackAdmin,
  getStackOptions,
  type StackAdmin,
} from "../../tools/testing/live-stack";
import { getServerUrl } from "../../tools/testing/test-database";

describe("live: the staging stack file (TLS required) under the engine's semantics", () => {
  const serverUrl = getServerUrl();
  const stagingUrl = withDatabase(serverUrl, TLS_ONLY_DATABASE);
  let programDir: string;
  let harness: EngineHarness;
  let admin: StackAdmin;
  let options: StackRunOptions;

  beforeAll(async () => {
    const { rows } = await withClient(serverUrl, (c) => c.query("show ssl"));
    if (rows[0].ssl !== "on") {
      throw new Error(
        `The staging scenario needs a server with TLS; ${serverUrl.replace(/:[^:@/]*@/, ":***@")} has ssl off.`,
      );
    }
    programDir = copyProgram();
    harness = createHarness(programDir);
    admin = await createStackAdmin(serverUrl);
    options = getStackOptions(serverUrl, admin, { stackFile: "staging", stack: "staging" });
  });

  afterAll(async () => {
    await harness.destroy().catch(() => undefined);
    await harness.close();
    await dropStackAdmin(serverUrl, admin);
    fs.rmSync(programDir, { recursive: true, force: true });
  });

  it("comes up with every connection over TLS, where the server refuses any other", async () => {
    const { run } = await harness.up(options);
    expect(run?.outputs.databaseName).toBe(TLS_ONLY_DATABASE);
    const authenticator = (run?.outputs.connections as Record<string, DatabaseConnection>)
      .authenticator;
    expect(authenticator.sslmode).toBe("require");
    const tls = await withClient(getClientConfig(authenticator, "orgstack live test"), (c) =>
      c.query("select ssl from pg_stat_ssl where pid = pg_backend_pid()"),
    );
    expect(tls.rows).toEqual([{ ssl: true }]);
    // The control: the same database refuses a connection without TLS.
    await expect(withClient(stagingUrl, (c) => c.query("select 1"))).rejects.toThrow(
      /pg_hba\.conf rejects connection .* no encryption/,
    );
  });

  it("takes no step on a second up, and destroy leaves no database behind", async () => {
    const { steps } = await harness.up(options);
    expect(steps).toEqual([]);
    await harness.destroy();
    const { rows } = await withClient(serverUrl, (c) =>
      c.query("select count(*)::int as n from pg_database where datname = $1", [TLS_ONLY_DATABASE]),
    );
    expect(rows).toEqual([{ n: 0 }]);
  });
});
