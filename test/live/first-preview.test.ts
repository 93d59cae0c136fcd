import * as crypto from "crypto";
import { withClient } from "../../components/lib/pg";
import { TLS_ONLY_DATABASE } from "../../tools/testing/cluster";
import {
  createHarness,
  createStackAdmin,
  dropStackAdmin,
  getStackOptions,
  type StackAdmin,
} from "../../tools/testing/live-stack";
import { PROJECT_ROOT, readStackFile } from "../../tools/engine/program";
import { getServerUrl } from "../../tools/testing/test-database";

/**
 * The first preview of a new stack: values that come from resources not created yet are
 * unknown (the container's host, a new database's connection), and nothing may be written.
 * `production` is left out: its preview connects to the Supabase host named in the file.
 */
describe("live: the first preview of each stack file that can run here", () => {
  const serverUrl = getServerUrl();
  let admin: StackAdmin;

  beforeAll(async () => {
    admin = await createStackAdmin(serverUrl);
  });
  afterAll(() => dropStackAdmin(serverUrl, admin));

  async function countDatabases(): Promise<number> {
    const { rows } = await withClient(serverUrl, (c) =>
      c.query("select count(*)::int as n from pg_database"),
    );
    return rows[0].n;
  }

  it.each([
    ["local", "container: the Docker resources and everything inside the database"],
    ["ci", "server: the database of PR stack pr-<n>"],
    ["staging", `server over TLS: ${TLS_ONLY_DATABASE}`],
  ])("previews %s (%s) as creates only and writes nothing", async (stackFile) => {
    const harness = createHarness(PROJECT_ROOT);
    const stack = stackFile === "ci" ? `pr-${crypto.randomInt(1000, 9999)}` : stackFile;
    const options =
      stackFile === "local"
        ? {
            stack,
            config: readStackFile("local"),
            // What `npm run up -- local` generates on first use.
            secrets: { "orgstack:jwtSecret": crypto.randomBytes(32).toString("hex") },
          }
        : getStackOptions(serverUrl, admin, { stackFile, stack });
    const databases = await countDatabases();
    try {
      const { steps } = await harness.preview(options);
      expect(steps.length).toBeGreaterThan(100);
      expect(new Set(steps.map((s) => s.op))).toEqual(new Set(["create"]));
      expect(harness.resources).toEqual([]);
    } finally {
      await harness.close();
    }
    expect(await countDatabases()).toBe(databases);
  });
});
