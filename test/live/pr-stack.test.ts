import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { formatFindings, runGates } from "../../components/gates";
import { withClient, withDatabase } from "../../components/lib/pg";
import type { EngineHarness, StackRunOptions } from "../../tools/engine/harness";
import {
  copyProgram,
  countStackLeftovers,
  createHarness,
  createStackAdmin,
  dropStackAdmin,
  getPrStackOptions,
  setAdminPassword,
  type StackAdmin,
} from "../../tools/testing/live-stack";
import { getServerUrl } from "../../tools/testing/test-database";

/** Catalog identities of every policy, trigger and index: a re-applied object gets a new one. */
const OBJECT_IDENTITIES = `
  select 'policy ' || polname || ' ' || oid from pg_policy
  union all select 'trigger ' || tgname || ' ' || oid from pg_trigger where not tgisinternal
  union all select 'index ' || c.relname || ' ' || c.relfilenode
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where c.relkind = 'i' and n.nspname in ('public', 'orgstack', 'audit', 'ops')
  order by 1`;

const MEMBERSHIPS = `
  select r.rolname || ' <- ' || g.rolname as grant
    from pg_auth_members m join pg_roles r on r.oid = m.member join pg_roles g on g.oid = m.roleid
   where r.rolname = any($1) order by 1`;

describe("live: a PR stack (ci stack file) under the engine's semantics", () => {
  const serverUrl = getServerUrl();
  const number = crypto.randomInt(1000, 9999);
  const databaseName = `app_pr_${number}`;
  const appUrl = withDatabase(serverUrl, databaseName);
  const loginRoles = ["authenticator", "monitor", "backup"].map((r) => `${databaseName}_${r}`);
  let programDir: string;
  let harness: EngineHarness;
  let admin: StackAdmin;
  let options: () => StackRunOptions;

  beforeAll(async () => {
    programDir = copyProgram();
    harness = createHarness(programDir);
    admin = await createStackAdmin(serverUrl);
    options = () => getPrStackOptions(serverUrl, `pr-${number}`, admin);
  });

  afterAll(async () => {
    await harness.destroy().catch(() => undefined);
    await harness.close();
    await dropStackAdmin(serverUrl, admin);
    fs.rmSync(programDir, { recursive: true, force: true });
  });

  const readCatalog = (sql: string, values: unknown[] = []) =>
    withClient(appUrl, async (c) => (await c.query(sql, values)).rows);

  it("previews a first up on an empty server as creates only, and writes nothing", async () => {
    const { steps } = await harness.preview(options());
    expect(steps.length).toBeGreaterThan(100);
    expect(new Set(steps.map((s) => s.op))).toEqual(new Set(["create"]));
    expect(harness.resources).toEqual([]);
    expect(await countStackLeftovers(serverUrl, databaseName)).toEqual({ databases: 0, roles: 0 });
  });

  it("comes up on an empty server with every step a create", async () => {
    const { run, steps } = await harness.up(options());
    expect(run?.outputs.databaseName).toBe(databaseName);
    expect(new Set(steps.map((s) => s.op))).toEqual(new Set(["create"]));
    const history = await readCatalog(
      "select track || '/' || version as id from orgstack.schema_migrations order by track desc, version",
    );
    expect(history.map((r) => r.id)).toEqual([
      "platform/0001",
      "platform/0002",
      "platform/0003",
      "platform/0004",
      "platform/0005",
      "platform/0006",
      "platform/0007",
      "platform/0008",
      "platform/0009",
      "platform/0010",
      "app/0001",
      "app/0002",
    ]);
    const findings = await withClient(appUrl, (client) => runGates(client));
    expect(formatFindings(findings)).toBe("Security gates: no findings (0 errors, 0 warnings).");
  });

  it("takes no step on a second up with no change", async () => {
    const { steps } = await harness.up(options());
    expect(steps).toEqual([]);
  });

  it("previews a new migration and a changed object by name, and writes nothing", async () => {
    const revision = copyProgram();
    fs.writeFileSync(
      path.join(revision, "sql", "migrations", "0003_add_project_color.sql"),
      "alter table public.projects add column color text;\n",
    );
    const viewFile = path.join(revision, "sql/objects/orgstack/views/current_memberships.sql");
    fs.writeFileSync(viewFile, fs.readFileSync(viewFile, "utf8").replace(/;\s*$/m, " order by 1;"));
    const state = JSON.stringify(harness.resources);
    const history = await readCatalog("select version from orgstack.schema_migrations");
    const objects = await readCatalog(OBJECT_IDENTITIES);
    const viewDefinition = "select pg_get_viewdef('orgstack.current_memberships'::regclass) as def";
    const view = await readCatalog(viewDefinition);
    try {
      const { steps } = await harness.preview({ ...options(), programDir: revision });
      expect(steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual([
        "update orgstack-migrations",
        "update view orgstack.current_memberships",
      ]);
    } finally {
      fs.rmSync(revision, { recursive: true, force: true });
    }
    expect(JSON.stringify(harness.resources)).toBe(state);
    expect(await readCatalog("select version from orgstack.schema_migrations")).toEqual(history);
    expect(await readCatalog(OBJECT_IDENTITIES)).toEqual(objects);
    expect(await readCatalog(viewDefinition)).toEqual(view);
  });

  it("keeps the login roles' memberships through refresh, and the next up changes nothing", async () => {
    const before = await readCatalog(MEMBERSHIPS, [loginRoles]);
    expect(before.map((r) => r.grant)).toEqual([
      `${databaseName}_authenticator <- anon`,
      `${databaseName}_authenticator <- authenticated`,
      `${databaseName}_authenticator <- service_role`,
      `${databaseName}_backup <- pg_read_all_data`,
      `${databaseName}_monitor <- pg_monitor`,
    ]);
    await harness.refresh();
    const { steps } = await harness.up(options());
    expect(steps).toEqual([]);
    expect(await readCatalog(MEMBERSHIPS, [loginRoles])).toEqual(before);
    const refreshed = await harness.up({ ...options(), refresh: true });
    expect(refreshed.steps).toEqual([]);
    expect(await readCatalog(MEMBERSHIPS, [loginRoles])).toEqual(before);
  });

  it("refuses at preview an applied migration that was edited, naming it, and writes nothing", async () => {
    const file = path.join(programDir, "sql", "migrations", "0001_create_projects.sql");
    const original = fs.readFileSync(file, "utf8");
    const before = await readCatalog(OBJECT_IDENTITIES);
    fs.writeFileSync(file, `${original}\n-- an edit after it was applied\nselect 1;\n`);
    try {
      await expect(harness.preview(options())).rejects.toThrow(
        /'app\/0001_create_projects\.sql' was edited after it was applied \(checksum [0-9a-f]{12} is now [0-9a-f]{12}\)\. Applied migrations never change: revert the edit and put the change in a new migration\./,
      );
    } finally {
      fs.writeFileSync(file, original);
    }
    expect(await readCatalog(OBJECT_IDENTITIES)).toEqual(before);
  });

  it("rotates the admin password without re-applying any object, and refresh works after", async () => {
    const before = await readCatalog(OBJECT_IDENTITIES);
    await setAdminPassword(serverUrl, admin, crypto.randomBytes(12).toString("hex"));
    await harness.up(options());
    expect(await readCatalog(OBJECT_IDENTITIES)).toEqual(before);
    await harness.refresh();
    const { steps } = await harness.up(options());
    expect(steps).toEqual([]);
  });

  it("leaves nothing of the stack behind on destroy", async () => {
    await harness.destroy();
    expect(await countStackLeftovers(serverUrl, databaseName)).toEqual({ databases: 0, roles: 0 });
    expect(harness.resources).toEqual([]);
  });
});
