import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { exportTenant } from "../../components/backup/tenant-export";
import { importTenant } from "../../components/backup/tenant-import";
import { quoteIdent, withClient, withDatabase } from "../../components/lib/pg";
import { createUser, withApiRequest, type ApiCaller } from "../../tools/testing/api-request";
import { deployBackend } from "../../tools/testing/deploy";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

/** Every table that holds organization A's rows, written out here, not read from the code. */
const ORG_TABLES = [
  "public.organizations",
  "public.organization_members",
  "public.invitations",
  "public.notifications",
  "public.activity_feed",
  "public.audit_logs",
  "public.projects",
];
/** Tables whose id is an identity column the target assigns: compared without it. */
const ASSIGNED = ["public.audit_logs", "public.activity_feed", "public.notifications"];

/** Runs a script as `npm run` would, the password in PGPASSWORD, never in argv. */
async function runScript(script: string, args: string[], url: string) {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  const argv = args.map((a) => (a === "<url>" ? parsed.toString() : a));
  const env = { ...process.env, PGPASSWORD: password };
  return promisify(execFile)("npx", ["ts-node", "--transpile-only", script, ...argv], { env }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
}

const query = async (url: string, sql: string, values: unknown[] = []) =>
  (await withClient(url, (c) => c.query(sql, values))).rows;

/** A table's organization rows as sorted JSON, without the columns the target assigns. */
async function getRows(url: string, table: string, organizationId: string): Promise<string[]> {
  const column = table === "public.organizations" ? "id" : "organization_id";
  const [schema, name] = table.split(".");
  const drop = ASSIGNED.includes(table) ? " - 'id'" : "";
  const rows = await query(
    url,
    `select (to_jsonb(t)${drop})::text as row from ${quoteIdent(schema)}.${quoteIdent(name)} t
      where ${quoteIdent(column)} = $1 and coalesce(t::text, '') not like '%orgstack.tenant_import%'`,
    [organizationId],
  );
  return rows.map((r) => r.row as string).sort();
}

async function cloneDatabase(template: TestDatabase, name: string): Promise<TestDatabase> {
  await query(
    template.serverUrl,
    `create database ${quoteIdent(name)} template ${quoteIdent(template.name)}`,
  );
  return {
    name,
    url: withDatabase(template.serverUrl, name),
    serverUrl: template.serverUrl,
    drop: () =>
      query(template.serverUrl, `drop database if exists ${quoteIdent(name)} with (force)`).then(
        () => undefined,
      ),
  };
}

describe("tenant export and import", () => {
  let blank: TestDatabase;
  let source: TestDatabase;
  let targets: TestDatabase[] = [];
  let orgA: string;
  let orgB: string;
  let onlyB: ApiCaller & { userId: string };
  let fileText: string;

  const newTarget = async () => {
    const target = await cloneDatabase(blank, `${blank.name}_t${targets.length}`);
    targets.push(target);
    return target;
  };

  beforeAll(async () => {
    blank = await createTestDatabase("orgstack_tenant");
    await deployBackend(blank);
    source = await cloneDatabase(blank, `${blank.name}_src`);
    const alice = await createUser(source.url, "alice@example.test");
    const bob = await createUser(source.url, "bob@example.test");
    onlyB = await createUser(source.url, "onlyb@example.test");
    const as = async (who: ApiCaller, sql: string, values: unknown[]) =>
      (await withApiRequest(source.url, who, (c) => c.query(sql, values))).rows;
    const create = async (who: ApiCaller, slug: string) =>
      (await as(who, "select id from public.create_organization($1, $1)", [slug]))[0].id;
    orgA = await create(alice, "acme");
    orgB = await create(onlyB, "beta");
    await as(
      alice,
      `insert into public.invitations (organization_id, email, role, invited_by)
       values ($1, 'bob@example.test', 'admin', $2)`,
      [orgA, alice.userId],
    );
    await as(bob, "select public.accept_invitation(id) from public.invitations", []);
    const addProject = "insert into public.projects (organization_id, name) values ($1, $2)";
    await as(alice, addProject, [orgA, "Roadmap"]);
    await as(bob, addProject, [orgA, "Launch"]);
    await as(onlyB, addProject, [orgB, "Secret"]);
    fileText = (await exportTenant(source.url, orgA)).text;
  });
  afterAll(async () => {
    for (const database of [...targets, source, blank]) await database?.drop();
  });

  it("exports every tenant table, core and app, with organization A's rows only", async () => {
    const header = JSON.parse(fileText.split("\n")[0]);
    const names = header.tables.map((t: { name: string }) => t.name);
    expect([...names].sort()).toEqual([...ORG_TABLES, "public.profiles"].sort());
    expect(names.indexOf("public.organizations")).toBeLessThan(names.indexOf("public.projects"));
    expect(names.indexOf("public.profiles")).toBeLessThan(
      names.indexOf("public.organization_members"),
    );
    const counts = Object.fromEntries(
      header.tables.map((t: { name: string; rows: number }) => [t.name, t.rows]),
    );
    // Every table has rows of A, so no comparison below is vacuous.
    for (const table of ORG_TABLES) expect([table, counts[table] > 0]).toEqual([table, true]);
    expect(counts["public.projects"]).toBe(2);
    expect(counts["public.organization_members"]).toBe(2);
    expect(counts["public.profiles"]).toBe(2);
    expect(fileText).not.toContain(orgB);
    expect(fileText).not.toContain(onlyB.userId);
    expect(fileText).not.toContain("Secret");
  });

  it("imports with the same ids: every table equal, no side effects fired", async () => {
    const target = await newTarget();
    const result = await importTenant(target.url, {
      text: fileText,
      source: "a.jsonl",
      newIds: false,
    });
    expect(result).toMatchObject({ organizationId: orgA, usersCreated: 2, usersMatched: 0 });
    for (const table of ORG_TABLES) {
      expect([table, await getRows(target.url, table, orgA)]).toEqual([
        table,
        await getRows(source.url, table, orgA),
      ]);
    }
    const profiles = "select to_jsonb(p)::text as p from public.profiles p order by id";
    const sourceProfiles = (await query(source.url, profiles)).filter(
      (r) => !r.p.includes("onlyb"),
    );
    expect(await query(target.url, profiles)).toEqual(sourceProfiles);
    const imports = await query(
      target.url,
      "select organization_id from public.audit_logs where table_name = 'orgstack.tenant_import'",
    );
    expect(imports).toEqual([{ organization_id: orgA }]);
  });

  it("imports with new ids: every uuid key is new and every reference follows it", async () => {
    const target = await newTarget();
    const result = await importTenant(target.url, {
      text: fileText,
      source: "a.jsonl",
      newIds: true,
    });
    expect(result.organizationId).not.toBe(orgA);
    const projectIds = await query(
      source.url,
      "select id from public.projects where organization_id = $1",
      [orgA],
    );
    for (const table of ORG_TABLES) {
      const copied = await getRows(target.url, table, result.organizationId);
      const original = await getRows(source.url, table, orgA);
      const remapped = copied.map((row) => row.split(result.organizationId).join(orgA));
      expect(copied.join()).not.toContain(orgA);
      for (const { id } of projectIds) expect(`${table}: ${copied.join()}`).not.toContain(id);
      const strip = (row: string) => row.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<uuid>");
      expect([table, remapped.map(strip).sort()]).toEqual([table, original.map(strip).sort()]);
    }
    const joined = await query(
      target.url,
      `select count(*)::int as n from public.projects p join public.organizations o on o.id = p.organization_id
        join public.profiles u on u.id = p.owner_id where o.id = $1`,
      [result.organizationId],
    );
    expect(joined).toEqual([{ n: 2 }]);
  });

  it("matches a user the target already has by email, whatever their id there", async () => {
    const target = await newTarget();
    const bobThere = await createUser(target.url, "bob@example.test");
    const result = await importTenant(target.url, {
      text: fileText,
      source: "a.jsonl",
      newIds: false,
    });
    expect(result).toMatchObject({ usersCreated: 1, usersMatched: 1 });
    const owners = await query(
      target.url,
      `select p.name, u.email from public.projects p join public.profiles u on u.id = p.owner_id
        where p.organization_id = $1 order by p.name`,
      [orgA],
    );
    expect(owners).toEqual([
      { name: "Launch", email: "bob@example.test" },
      { name: "Roadmap", email: "alice@example.test" },
    ]);
    const member = await query(
      target.url,
      "select role from public.organization_members where organization_id = $1 and user_id = $2",
      [orgA, bobThere.userId],
    );
    expect(member).toEqual([{ role: "admin" }]);
  });

  it("refuses a file that links to another organization and writes nothing", async () => {
    const target = await newTarget();
    const lines = fileText.split("\n");
    const project = lines.findIndex((l) => l.startsWith('{"table":"public.projects"'));
    lines[project] = lines[project].split(orgA).join(orgB);
    const invitation = lines.findIndex((l) => l.startsWith('{"table":"public.invitations"'));
    const invitedBy = JSON.parse(lines[invitation]).row.invited_by;
    lines[invitation] = lines[invitation].replace(invitedBy, onlyB.userId);
    const before = await query(target.url, "select count(*)::int as n from auth.users");
    const run = importTenant(target.url, {
      text: lines.join("\n"),
      source: "x.jsonl",
      newIds: false,
    });
    await expect(run).rejects.toThrow(
      [
        "Cannot import 'x.jsonl'; nothing was written:",
        `  - Table 'public.projects': a row of organization "${orgB}", not the file's organization ${orgA}. An import never links to another organization.`,
        `  - public.invitations (invited_by) -> public.profiles (id): ["${onlyB.userId}"] points at a row the file does not hold (another organization's, or a table not exported). Nothing was imported.`,
        `  - public.projects (organization_id) -> public.organizations (id): ["${orgB}"] points at a row the file does not hold (another organization's, or a table not exported). Nothing was imported.`,
      ].join("\n"),
    );
    expect(await query(target.url, "select count(*)::int as n from auth.users")).toEqual(before);
    expect(await query(target.url, "select count(*)::int as n from public.organizations")).toEqual([
      { n: 0 },
    ]);
  });

  it("refuses a malformed or truncated file with a clear error", async () => {
    const target = targets[0];
    await expect(
      importTenant(target.url, { text: "hello\n", source: "bad.jsonl", newIds: false }),
    ).rejects.toThrow(
      "Cannot import 'bad.jsonl'; nothing was written:\n" +
        `  - Line 1: expected the JSON header of an 'orgstack-tenant-export' file; found "hello".`,
    );
    const truncated = fileText.split("\n").slice(0, -2).join("\n");
    await expect(
      importTenant(target.url, { text: truncated, source: "cut.jsonl", newIds: false }),
    ).rejects.toThrow(
      "Cannot import 'cut.jsonl'; nothing was written:\n" +
        "  - Table 'public.projects': the header promises 2 rows; the file holds 1. The file is truncated or was edited: export it again.",
    );
  });

  it("refuses to export an organization the database does not have", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    await expect(exportTenant(source.url, missing)).rejects.toThrow(
      `Organization '${missing}' does not exist in database '${source.name}'. ` +
        "Pass the id of public.organizations (select id, slug from public.organizations).",
    );
  });

  it("refuses an organization the target already has", async () => {
    await expect(
      importTenant(targets[0].url, { text: fileText, source: "a.jsonl", newIds: false }),
    ).rejects.toThrow(
      "Cannot import 'a.jsonl'; nothing was written:\n" +
        `  - Organization ${orgA} already exists in the target. Import with --new-ids for a copy.`,
    );
  });

  it("round-trips through the commands, the password only in PGPASSWORD", async () => {
    const target = await newTarget();
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tenant-")), "acme.jsonl");
    const exported = await runScript(
      "scripts/tenant-export.ts",
      ["--organization", orgA, "--database-url", "<url>", "--out", out],
      source.url,
    );
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain(`Exported organization ${orgA}:`);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const imported = await runScript(
      "scripts/tenant-import.ts",
      ["--in", out, "--database-url", "<url>", "--new-ids"],
      target.url,
    );
    expect([imported.code, imported.stderr]).toEqual([
      0,
      expect.stringContaining("public.projects: 2"),
    ]);
    const bad = await runScript("scripts/tenant-import.ts", ["--in", out, "--stack"], target.url);
    expect(bad).toEqual({
      code: 2,
      stderr:
        "Invalid arguments. Usage: npm run tenant:import -- --in <file> (--database-url <url> | --stack <name>) [--new-ids]\n" +
        "  - '--stack' needs a value.\n" +
        "  - Give exactly one of '--database-url' and '--stack'.\n",
    });
    fs.rmSync(path.dirname(out), { recursive: true });
  });
});
