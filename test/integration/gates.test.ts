import { spawnSync } from "child_process";
import * as path from "path";
import { formatFindings, runGates, type Finding } from "../../components/gates";
import { parseGateArgs } from "../../components/gates/cli";
import { withClient, withTransaction } from "../../components/lib/pg";
import { deployBackend } from "../../tools/testing/deploy";
import { PROJECT_ROOT } from "../../tools/engine/program";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

describe("security gates", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await deployBackend(database);
  });
  afterAll(() => database.drop());

  /** Breaks the deployed database inside a transaction, runs the gates, rolls back. */
  async function findingsAfter(breakage: string): Promise<Finding[]> {
    return withClient(database.url, async (client) => {
      let findings: Finding[] = [];
      await withTransaction(client, async () => {
        await client.query(breakage);
        findings = await runGates(client);
        throw new Error("roll back");
      }).catch((error: Error) => {
        if (error.message !== "roll back") throw error;
      });
      return findings;
    });
  }

  it("find nothing on the deployed backend", async () => {
    const findings = await withClient(database.url, (client) => runGates(client));
    expect(formatFindings(findings)).toBe("Security gates: no findings (0 errors, 0 warnings).");
  });

  it.each([
    ["rls_disabled", "alter table public.projects disable row level security", "public.projects"],
    [
      "rls_without_policy",
      "create table public.widgets (id int primary key); alter table public.widgets enable row level security",
      "public.widgets",
    ],
    [
      "write_policy_true",
      `create policy "anyone can insert projects" on public.projects for insert to authenticated with check (true)`,
      `"anyone can insert projects" on public.projects`,
    ],
    [
      "unwrapped_auth_call",
      `drop policy "profile owners can update profiles" on public.profiles;
       create policy "profile owners can update profiles" on public.profiles for update to authenticated using (id = auth.uid()) with check (id = auth.uid())`,
      `"profile owners can update profiles" on public.profiles`,
    ],
    ["foreign_key_without_index", "drop index public.projects_owner_id_idx", "projects (owner_id)"],
    [
      "mutable_search_path",
      "create function public.shout(t text) returns text language sql as $$ select upper(t) $$",
      "shout(text)",
    ],
    [
      "view_without_security_invoker",
      "create view public.project_names as select name from public.projects",
      "public.project_names",
    ],
    [
      "multiple_permissive_policies",
      `create policy "members can also select projects" on public.projects for select to authenticated using (true)`,
      "public.projects for SELECT to authenticated",
    ],
    [
      "table_without_primary_key",
      `create table public.events (organization_id uuid);
       alter table public.events enable row level security;
       create policy "members can select events" on public.events for select to authenticated using (false)`,
      "public.events",
    ],
    [
      "definer_executable_by_anon",
      `create function public.leak() returns bigint language sql security definer set search_path = '' as $$ select count(*) from public.profiles $$;
       grant execute on function public.leak() to anon`,
      "leak()",
    ],
  ])("%s catches a database broken on purpose", async (check, breakage, object) => {
    const findings = await findingsAfter(breakage);
    expect(findings.filter((f) => f.check === check).map((f) => f.object)).toEqual([object]);
  });

  it("print a table with the object and a fix hint, errors first", () => {
    const table = formatFindings([
      {
        check: "rls_disabled",
        severity: "error",
        object: "public.a",
        detail: "row-level security is disabled",
        fix: "alter table public.a enable row level security; then add policies",
      },
      {
        check: "table_without_primary_key",
        severity: "warning",
        object: "public.b",
        detail: "no primary key",
        fix: "add a primary key to public.b",
      },
    ]);
    expect(table).toBe(
      [
        "SEVERITY  CHECK                      OBJECT    DETAIL                          FIX",
        "error     rls_disabled               public.a  row-level security is disabled  alter table public.a enable row level security; then add policies",
        "warning   table_without_primary_key  public.b  no primary key                  add a primary key to public.b",
        "",
        "Security gates: 1 error, 1 warning.",
      ].join("\n"),
    );
  });

  it("exits non-zero from the command line when a gate finds an error", async () => {
    await withClient(database.url, (c) =>
      c.query("create table public.open_table (id int primary key)"),
    );
    try {
      const result = spawnSync(
        "npx",
        [
          "ts-node",
          "--transpile-only",
          path.join("components", "gates", "cli.ts"),
          "--database-url",
          database.url,
        ],
        {
          cwd: PROJECT_ROOT,
          encoding: "utf8",
        },
      );
      expect(result.status).toBe(1);
      expect(result.stdout).toContain("error     rls_disabled");
      expect(result.stdout).toContain("public.open_table");
      expect(result.stdout).toContain("Security gates: 1 error, 0 warnings.");
    } finally {
      await withClient(database.url, (c) => c.query("drop table public.open_table"));
    }
  });

  it("refuses a command line without a database, naming the flag", () => {
    expect(() => parseGateArgs([], {})).toThrow(
      "No database given: pass '--database-url' or set DATABASE_URL. Usage: npm run gates -- --database-url <postgres url> [--schemas public,api]",
    );
    expect(() => parseGateArgs(["--verbose"], { DATABASE_URL: "postgres://x" })).toThrow(
      "Unknown argument '--verbose'.",
    );
  });
});
