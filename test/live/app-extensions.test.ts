import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { withClient } from "../../components/lib/pg";
import { PROJECT_ROOT, STARTER_DIR } from "../../tools/engine/program";
import { deployApp } from "../../tools/testing/app-test";
import { getServerUrl } from "../../tools/testing/test-database";

/**
 * The starter with a migration that needs extensions: an exclusion constraint on btree_gist,
 * which the app declares, and a default calling pgcrypto, which the platform brings. Both must
 * come up before the migration and must not stop `pulumi destroy`.
 */
function copyStarterWithExtensions(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-extensions-"));
  fs.cpSync(STARTER_DIR, dir, {
    recursive: true,
    filter: (source) => !source.includes(".pulumi-state"),
  });
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
  const index = path.join(dir, "index.ts");
  fs.writeFileSync(
    index,
    fs
      .readFileSync(index, "utf8")
      .replace(
        'migrations: "migrations",',
        'migrations: "migrations", extensions: ["btree_gist"],',
      ),
  );
  fs.writeFileSync(
    path.join(dir, "migrations", "0002_add_note_slots.sql"),
    `alter table public.notes
       add column slot tstzrange,
       add column share_code text not null default encode(extensions.gen_random_bytes(8), 'hex'),
       add constraint notes_no_overlapping_slots exclude using gist (organization_id with =, slot with &&);`,
  );
  return dir;
}

describe("live: an app's extensions", () => {
  it("come up before its migrations and never stop destroy", async () => {
    const programDir = copyStarterWithExtensions();
    const app = await deployApp({ programDir, serverUrl: getServerUrl() });
    let leftovers: { databases: number; roles: number } | undefined;
    try {
      const { rows } = await withClient(app.adminUrl, (c) =>
        c.query(
          `select e.extname, n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
            where e.extname in ('btree_gist', 'pgcrypto') order by 1`,
        ),
      );
      expect(rows).toEqual([
        { extname: "btree_gist", nspname: "extensions" },
        { extname: "pgcrypto", nspname: "extensions" },
      ]);
      await withClient(app.adminUrl, async (c) => {
        const org = await c.query(
          `with u as (insert into auth.users (email) values ('x@example.test') returning id)
           insert into public.organizations (name, slug, created_by) select 'X', 'x', id from u returning id`,
        );
        const insert = `insert into public.notes (organization_id, body, slot) values ($1, 'n', tstzrange(now(), now() + interval '1 hour'))`;
        await c.query(insert, [org.rows[0].id]);
        await expect(c.query(insert, [org.rows[0].id])).rejects.toThrow(
          'conflicting key value violates exclusion constraint "notes_no_overlapping_slots"',
        );
      });
    } finally {
      leftovers = await app.destroy();
    }
    expect(leftovers).toEqual({ databases: 0, roles: 0 });
  });

  it("reach a stack deployed before, whose extensions schema had no dropCascade, as one in-place update", async () => {
    const app = await deployApp({ programDir: STARTER_DIR, serverUrl: getServerUrl() });
    try {
      // The state an earlier orgstack wrote: the same schema, dropCascade false.
      const schema = app.harness.resources.find((r) => r.name === "starter-extensions-schema")!;
      schema.inputs = { ...schema.inputs, dropCascade: false };
      schema.outputs = { ...schema.outputs, dropCascade: false };
      const step = [{ op: "update", type: "postgresql:index/schema:Schema", name: schema.name }];
      expect((await app.harness.preview(app.options)).steps).toEqual(step);
      expect((await app.harness.up(app.options)).steps).toEqual(step);
      expect((await app.harness.up({ ...app.options, refresh: true })).steps).toEqual([]);
    } finally {
      expect(await app.destroy()).toEqual({ databases: 0, roles: 0 });
    }
  });
});
