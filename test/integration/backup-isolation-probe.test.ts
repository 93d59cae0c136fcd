import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runDrill } from "../../components/backup/drill";
import { probeTenantIsolation } from "../../components/backup/isolation-probe";
import { runLogicalBackup } from "../../components/backup/logical-backup";
import { withClient } from "../../components/lib/pg";
import { deployBackend } from "../../tools/testing/deploy";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

/**
 * The drill's isolation probe acts as the restored database's own members: a leak in a
 * restored policy fails the drill, naming the member and the table; anon reading a tenant table
 * is caught too. Three organizations, each with its owner and one project.
 */
const SEED = `
  insert into auth.users (email) select 'owner' || g || '@example.test' from generate_series(1, 3) g;
  insert into public.organizations (name, slug, created_by)
    select 'Org ' || g, 'org-' || g, (select id from auth.users where email = 'owner' || g || '@example.test')
      from generate_series(1, 3) g;
  insert into public.projects (organization_id, owner_id, name)
    select o.id, o.created_by, 'Project of ' || o.name from public.organizations o;`;

describe("the drill's tenant isolation probe", () => {
  let source: TestDatabase;
  let directory: string;
  const log: string[] = [];

  beforeAll(async () => {
    source = await createTestDatabase("orgstack_probe");
    await deployBackend(source);
    await withClient(source.url, (c) => c.query(SEED));
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-probe-"));
  }, 120_000);
  afterAll(async () => {
    await source.drop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  const drill = async () => {
    await runLogicalBackup({ url: source.url, stack: "ci", directory });
    return runDrill({ url: source.url, directory, log: (line) => log.push(line) });
  };

  it("passes on a sound backend, having acted as every member", async () => {
    const result = await drill();
    expect(result.problems).toEqual([]);
    expect(log).toContainEqual(
      expect.stringMatching(
        /^Isolation probe: acted as 3 members on \d+ tenant tables, and as anon\.$/,
      ),
    );
  }, 60_000);

  it("catches anon reading a tenant table", async () => {
    await withClient(source.url, async (c) => {
      await c.query("grant select on public.projects to anon");
      await c.query("create policy anon_reads on public.projects for select to anon using (true)");
      try {
        expect((await probeTenantIsolation(c)).problems).toEqual([
          "anon sees 3 rows of public.projects.",
        ]);
      } finally {
        await c.query("drop policy anon_reads on public.projects");
        await c.query("revoke select on public.projects from anon");
      }
    });
  });

  it("fails the drill of a backup whose policies let members see other organizations", async () => {
    await withClient(source.url, (c) =>
      c.query("create policy leaks on public.projects for select to authenticated using (true)"),
    );
    const result = await drill();
    expect(result.passed).toBe(false);
    expect(result.problems).toHaveLength(3);
    for (const problem of result.problems) {
      expect(problem).toMatch(
        /^Member [0-9a-f-]{36} sees 2 rows of other organizations in public\.projects\.$/,
      );
    }
    await withClient(source.url, (c) => c.query("drop policy leaks on public.projects"));
  }, 60_000);
});
