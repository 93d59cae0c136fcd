/**
 * Issue 15's hostile review: defects in the library (tools/kickoff, components/lib, the core
 * tables) found while attacking the examples, each now fixed: the behaviour that must hold.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { withClient } from "../../components/lib/pg";
import { getMembershipCheck } from "../../components/lib/roles";
import { EXAMPLES_DIR, parseNewProjectArgs } from "../../tools/kickoff/new-project";
import { deployBackend } from "../../tools/testing/deploy";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

/** The problems parseNewProjectArgs lists, or "accepted" when it takes the arguments. */
function tryNew(argv: string[], cwd: string): string {
  try {
    const args = parseNewProjectArgs(argv, cwd);
    return `accepted: ${args.dir}`;
  } catch (error) {
    const problems = (error as { problems?: unknown }).problems;
    return Array.isArray(problems)
      ? `refused: ${problems.join(" | ")}`
      : `crashed: ${String(error)}`;
  }
}

describe("hostile15: npm run new", () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hostile15-"));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // A symlink to orgstack's examples passes the "inside orgstack's own examples" check, which
  // compares resolved paths without following links: the project lands in examples/.
  it("refuses a folder that is inside examples/ through a symbolic link", () => {
    fs.symlinkSync(EXAMPLES_DIR, path.join(tmp, "link"));
    expect(tryNew([path.join(tmp, "link", "zz"), "--from", "starter"], tmp)).toMatch(
      /^refused: .*inside orgstack's own examples/,
    );
  });

  // An existing file as <dir>: fs.readdirSync throws ENOTDIR out of the argument check, so the
  // CLI prints a stack trace and exits 1 instead of listing the problem and exiting 2.
  it("lists a <dir> that is a file as a problem instead of crashing", () => {
    fs.writeFileSync(path.join(tmp, "afile"), "");
    expect(tryNew([path.join(tmp, "afile"), "--from", "starter"], tmp)).toMatch(/^refused: /);
  });
});

describe("hostile15: getMembershipCheck", () => {
  // roles: [] passes validation and writes `m.role in ()`, which PostgreSQL refuses as a syntax
  // error when the policy is created, far from the call that caused it.
  it("refuses an empty 'roles' list", () => {
    expect(() => getMembershipCheck({ roles: [] })).toThrow(/roles/);
  });
});

describe("hostile15: the core tables", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("hostile15");
    await deployBackend(database);
  });
  afterAll(() => database?.drop());

  // organizations.created_by references auth.users on delete set null, but the organization
  // guard refused any change of created_by: a user who ever created an organization could never
  // be deleted, even after handing it to another owner.
  it("deletes a user who created an organization another owner now holds; refuses its last owner", async () => {
    await withClient(database.url, async (c) => {
      const users = await c.query<{ id: string }>(
        "insert into auth.users (email) values ('founder@example.test'), ('heir@example.test') returning id",
      );
      const [founder, heir] = users.rows.map((r) => r.id);
      const org = await c.query<{ id: string }>(
        "insert into public.organizations (name, slug, created_by) values ('Founded', 'founded', $1) returning id",
        [founder],
      );
      await c.query(
        "insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'owner')",
        [org.rows[0].id, heir],
      );
      expect((await c.query("delete from auth.users where id = $1", [founder])).rowCount).toBe(1);
      const after = await c.query("select created_by from public.organizations where id = $1", [
        org.rows[0].id,
      ]);
      expect(after.rows).toEqual([{ created_by: null }]);
      await expect(c.query("delete from auth.users where id = $1", [heir])).rejects.toThrow(
        `Organization ${org.rows[0].id} would be left without an owner.`,
      );
      await expect(
        c.query("update public.organizations set created_by = $2 where id = $1", [
          org.rows[0].id,
          heir,
        ]),
      ).rejects.toThrow("An organization's id and created_by cannot change.");
    });
  });
});
