import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { quoteIdent, withClient, withDatabase } from "../../components/lib/pg";
import type { EngineHarness, StackRunOptions } from "../../tools/engine/harness";
import {
  copyProgram,
  countStackLeftovers,
  createHarness,
  createStackAdmin,
  dropStackAdmin,
  getStackOptions,
  setAdminPassword,
  type StackAdmin,
} from "../../tools/testing/live-stack";
import { getServerUrl } from "../../tools/testing/test-database";

const SEED = "0001_example_organization.sql";
const ACME = "00000000-0000-4000-8000-00000000ac3e";

/** A second project for Acme, written to run twice like every seed file. */
const SECOND_PROJECT = `
insert into public.projects (id, organization_id, owner_id, name)
values ('00000000-0000-4000-8000-0000000000b2', '${ACME}',
        '00000000-0000-4000-8000-00000000a11c', 'Roadmap')
on conflict (id) do nothing;
`;

/**
 * `npm run up -- local`: a local stack starts with the program's sql/seed data, applied by
 * `pulumi up` once the schema is complete, all or nothing. Run on the test server in server mode
 * (a container cannot run here) with the local environment.
 */
describe("live: a local stack's seed data under the engine's semantics", () => {
  const serverUrl = getServerUrl();
  let programDir: string;
  let harness: EngineHarness;
  let admin: StackAdmin;
  let options: StackRunOptions;
  let databaseUrl: string;

  const seedPath = (name: string) => path.join(programDir, "sql", "seed", name);
  const projectNames = async () => {
    const { rows } = await withClient(databaseUrl, (c) =>
      c.query("select name from public.projects where organization_id = $1 order by name", [ACME]),
    );
    return rows.map((r) => r.name as string);
  };

  beforeAll(async () => {
    programDir = copyProgram();
    harness = createHarness(programDir);
    admin = await createStackAdmin(serverUrl);
    const stack = `local-${crypto.randomInt(100000, 999999)}`;
    const ci = getStackOptions(serverUrl, admin, { stackFile: "ci", stack });
    options = { ...ci, config: { ...ci.config, "orgstack:environment": "local" }, programDir };
  });

  afterAll(async () => {
    await harness.destroy().catch(() => undefined);
    await harness.close();
    await dropStackAdmin(serverUrl, admin);
    fs.rmSync(programDir, { recursive: true, force: true });
  });

  it("up seeds the new database after its schema", async () => {
    const { run, steps } = await harness.up(options);
    databaseUrl = withDatabase(serverUrl, run?.outputs.databaseName as string);
    expect(steps.filter((s) => s.type.endsWith(":SeedData"))).toEqual([
      { op: "create", type: "pulumi-nodejs:dynamic/ephemeral:SeedData", name: "orgstack-seed" },
    ]);
    expect(await projectNames()).toEqual(["Launch"]);
    // The seed went through the schema's triggers: Alice owns Acme as its creator.
    const { rows } = await withClient(databaseUrl, (c) =>
      c.query(
        "select role from public.organization_members where organization_id = $1 and user_id = $2",
        [ACME, "00000000-0000-4000-8000-00000000a11c"],
      ),
    );
    expect(rows).toEqual([{ role: "owner" }]);
  });

  it("a second up, and a refresh then up, take no step", async () => {
    expect((await harness.up(options)).steps).toEqual([]);
    await harness.refresh();
    expect((await harness.up(options)).steps).toEqual([]);
  });

  it("a rotated admin password is stored, and no seed runs again", async () => {
    await withClient(databaseUrl, (c) =>
      c.query("delete from public.projects where name = 'Launch'"),
    );
    await setAdminPassword(serverUrl, admin, crypto.randomBytes(12).toString("hex"));
    const rotated = { ...options.secrets, "orgstack:databasePassword": admin.password };
    options = { ...options, secrets: rotated };
    const { steps } = await harness.up(options);
    expect(steps.filter((s) => s.type.endsWith(":SeedData"))).toEqual([
      { op: "update", type: "pulumi-nodejs:dynamic/ephemeral:SeedData", name: "orgstack-seed" },
    ]);
    expect(await projectNames()).toEqual([]);
  });

  it("an edited seed file is one update, applied again without duplicating rows", async () => {
    fs.appendFileSync(seedPath(SEED), SECOND_PROJECT);
    const preview = await harness.preview(options);
    expect(preview.steps).toEqual([
      { op: "update", type: "pulumi-nodejs:dynamic/ephemeral:SeedData", name: "orgstack-seed" },
    ]);
    await harness.up(options);
    expect(await projectNames()).toEqual(["Launch", "Roadmap"]);
  });

  it("a failing seed file is named, and none of the seed files is applied", async () => {
    fs.appendFileSync(
      seedPath(SEED),
      SECOND_PROJECT.replace("0000000000b2", "0000000000b3").replace("Roadmap", "Hiring"),
    );
    fs.writeFileSync(seedPath("0002_broken.sql"), "insert into public.projects (nope) values (1);");
    await expect(harness.up(options)).rejects.toThrow(
      /orgstack-seed: Seed 'sql\/seed\/0002_broken.sql' failed; no seed was applied: .*column "nope"/,
    );
    expect(await projectNames()).toEqual(["Launch", "Roadmap"]);
    fs.rmSync(seedPath("0002_broken.sql"));
    await harness.up(options);
    expect(await projectNames()).toEqual(["Hiring", "Launch", "Roadmap"]);
  });

  it("a database reset since the seed is seeded again by refresh then up", async () => {
    const name = new URL(databaseUrl).pathname.slice(1);
    await withClient(serverUrl, async (c) => {
      const { rows } = await c.query(
        "select pg_get_userbyid(datdba) as owner from pg_database where datname = $1",
        [name],
      );
      await c.query(`drop database ${quoteIdent(name)} with (force)`);
      await c.query(`create database ${quoteIdent(name)} owner ${quoteIdent(rows[0].owner)}`);
    });
    const { steps } = await harness.up({ ...options, refresh: true });
    expect(steps.filter((s) => s.type.endsWith(":SeedData"))).toEqual([
      { op: "create", type: "pulumi-nodejs:dynamic/ephemeral:SeedData", name: "orgstack-seed" },
    ]);
    expect(await projectNames()).toEqual(["Hiring", "Launch", "Roadmap"]);
  });

  it("as an ephemeral stack it registers no seed: up deletes the resource and no row", async () => {
    const ephemeral = {
      ...options,
      config: { ...options.config, "orgstack:environment": "ephemeral" },
    };
    const { steps } = await harness.up(ephemeral);
    expect(steps.filter((s) => s.type.endsWith(":SeedData"))).toEqual([
      { op: "delete", type: "pulumi-nodejs:dynamic/ephemeral:SeedData", name: "orgstack-seed" },
    ]);
    expect(await projectNames()).toEqual(["Hiring", "Launch", "Roadmap"]);
  });

  it("destroy leaves no database and no login role", async () => {
    const name = new URL(databaseUrl).pathname.slice(1);
    await harness.destroy();
    expect(await countStackLeftovers(serverUrl, name)).toEqual({ databases: 0, roles: 0 });
  });
});
