import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { withClient, withDatabase } from "../../components/lib/pg";
import { EngineHarness, type Step, type StackRunOptions } from "../../tools/engine/harness";
import {
  copyProgram,
  countStackLeftovers,
  createStackAdmin,
  dropStackAdmin,
  getPrStackOptions,
  type StackAdmin,
} from "../../tools/testing/live-stack";
import { getServerUrl } from "../../tools/testing/test-database";

const NEXT_MIGRATION = `-- A pull request's new column.
alter table public.projects add column archived_at timestamptz;
`;

/**
 * The whole life of a PR stack with the program where the CLI runs it: Pulumi's own Node.js
 * language host, a process of its own, registering over gRPC. The harness's steps answer it.
 */
describe("live: a PR stack with its program in Pulumi's language host", () => {
  const serverUrl = getServerUrl();
  const number = crypto.randomInt(1000, 9999);
  const databaseName = `app_pr_${number}`;
  let programDir: string;
  let harness: EngineHarness;
  let admin: StackAdmin;
  let options: StackRunOptions;

  beforeAll(async () => {
    programDir = copyProgram();
    harness = new EngineHarness({ programDir, programHost: "language-host" });
    admin = await createStackAdmin(serverUrl);
    options = getPrStackOptions(serverUrl, `pr-${number}`, admin);
  });

  afterAll(async () => {
    await harness.destroy().catch(() => undefined);
    await harness.close();
    await dropStackAdmin(serverUrl, admin);
    fs.rmSync(programDir, { recursive: true, force: true });
  });

  it("previews creates only, then comes up with the same steps and secret connections", async () => {
    const preview = await harness.preview(options);
    expect(new Set(preview.steps.map((s) => s.op))).toEqual(new Set(["create"]));
    expect(harness.resources).toEqual([]);
    const { run, steps } = await harness.up(options);
    // Steps run in parallel, so they are compared in name order.
    const byName = (list: readonly Step[]) => list.map((s) => `${s.op} ${s.type} ${s.name}`).sort();
    expect(byName(steps)).toEqual(byName(preview.steps));
    expect(run?.outputs.databaseName).toBe(databaseName);
    expect(run?.secretOutputs).toEqual(["connections"]);
    const url = withDatabase(serverUrl, databaseName);
    const { rows } = await withClient(url, (c) =>
      c.query("select relname from pg_class where relname = 'projects' and relrowsecurity"),
    );
    expect(rows).toEqual([{ relname: "projects" }]);
  });

  it("a second up, and a refresh then up, take no step", async () => {
    expect((await harness.up(options)).steps).toEqual([]);
    await harness.refresh();
    expect((await harness.up(options)).steps).toEqual([]);
  });

  it("a new migration is one update of the history at preview and at up", async () => {
    const dir = path.join(programDir, "sql", "migrations");
    const last = fs.readdirSync(dir).sort().at(-1)!;
    const next = String(Number(last.slice(0, 4)) + 1).padStart(4, "0");
    fs.writeFileSync(path.join(dir, `${next}_archive_projects.sql`), NEXT_MIGRATION);
    const update = [
      {
        op: "update",
        type: "pulumi-nodejs:dynamic/schema:Migrations",
        name: "orgstack-migrations",
      },
    ];
    expect((await harness.preview(options)).steps).toEqual(update);
    expect((await harness.up(options)).steps).toEqual(update);
  });

  it("a bad stack file stops the program with its message, and nothing changes", async () => {
    const bad = { ...options, config: { ...options.config, "orgstack:environment": "prod" } };
    await expect(harness.up(bad)).rejects.toThrow(
      /'orgstack:environment': expected one of "local", "ephemeral", "staging", "production"; found "prod"/,
    );
    expect((await harness.up(options)).steps).toEqual([]);
  });

  it("destroy leaves no database and no login role", async () => {
    await harness.destroy();
    expect(await countStackLeftovers(serverUrl, databaseName)).toEqual({ databases: 0, roles: 0 });
  });
});
