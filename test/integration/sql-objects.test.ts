import { REFERENCE_APP } from "../../app";
import { withClient } from "../../components/lib/pg";
import {
  formatIdentity,
  getMigrationFiles,
  getSqlObjects,
  parseIdentity,
  type SqlObjectIdentity,
} from "../../components/schema";
import { migrate } from "../../components/schema/migrate";
import {
  sqlObjectProvider,
  type SqlObjectInputs,
  type SqlObjectOutputs,
} from "../../components/schema/sql-object-provider";
import { getCatalogSnapshot } from "../support/catalog";
import { prepareDatabaseLayer } from "../../tools/testing/database-layer";
import {
  createTestDatabase,
  getConnection,
  type TestDatabase,
} from "../../tools/testing/test-database";

const provider = sqlObjectProvider as Required<typeof sqlObjectProvider>;

function identity(text: string): SqlObjectIdentity {
  const parsed = parseIdentity(text);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
}

const COUNT_FN = identity("function public.count_organizations()");
const countFunction = (body: string) => `
create or replace function public.count_organizations() returns ${body}
language sql stable set search_path = '' as $$ select count(*)::int from public.organizations $$;
revoke execute on function public.count_organizations() from public;
grant execute on function public.count_organizations() to authenticated;`;

const POLICY = identity(`policy "authenticated can select organizations" on public.organizations`);
const policy = (using: string) =>
  `create policy "authenticated can select organizations" on public.organizations for select to authenticated using (${using});`;

describe("SqlObject provider", () => {
  let database: TestDatabase;
  const input = (id: SqlObjectIdentity, definition: string): SqlObjectInputs => ({
    connection: getConnection(database),
    identity: id,
    definition,
    source: "test",
  });
  const query = async (sql: string, values: unknown[] = []) =>
    (await withClient(database.url, (c) => c.query(sql, values))).rows;

  beforeAll(async () => {
    database = await createTestDatabase();
    await prepareDatabaseLayer(database);
    await migrate({
      connection: getConnection(database),
      files: getMigrationFiles(REFERENCE_APP, "postgres"),
      lockTimeoutMs: 5000,
    });
  });
  afterAll(() => database.drop());

  describe("function", () => {
    let outs: SqlObjectOutputs;

    it("creates the function with its grants and reads its fingerprint from the catalog", async () => {
      const created = await provider.create(input(COUNT_FN, countFunction("integer")));
      outs = created.outs;
      expect(created.id).toBe("function public.count_organizations()");
      expect(outs.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(outs.appliedFingerprint).toBe(outs.fingerprint);
      expect(
        await query(
          "select has_function_privilege('authenticated', 'public.count_organizations()', 'execute') as ok",
        ),
      ).toEqual([{ ok: true }]);
      expect((await provider.read(created.id, outs)).props.fingerprint).toBe(outs.fingerprint);
    });

    it("sees no change in whitespace, comments or keyword case", async () => {
      const reformatted = `-- counts organizations
CREATE OR REPLACE FUNCTION public.count_organizations()
    RETURNS integer
    LANGUAGE sql STABLE
    SET search_path = ''
AS $$ select count(*)::int from public.organizations $$;

REVOKE EXECUTE ON FUNCTION public.count_organizations() FROM public;
GRANT EXECUTE ON FUNCTION public.count_organizations() TO authenticated;`;
      expect((await provider.diff("id", outs, input(COUNT_FN, reformatted))).changes).toBe(false);
    });

    it("changes the return type by dropping and creating in one transaction", async () => {
      const news = input(COUNT_FN, countFunction("bigint").replace("::int", "::bigint"));
      expect((await provider.diff("id", outs, news)).changes).toBe(true);
      outs = (await provider.update("id", outs, news)).outs;
      expect(
        await query(
          "select pg_get_function_result('public.count_organizations()'::regprocedure) as result",
        ),
      ).toEqual([{ result: "bigint" }]);
      expect(
        await query(
          "select has_function_privilege('authenticated', 'public.count_organizations()', 'execute') as ok",
        ),
      ).toEqual([{ ok: true }]);
    });

    it("deletes the function", async () => {
      await provider.delete("id", outs);
      expect(await query("select to_regprocedure('public.count_organizations()') as fn")).toEqual([
        { fn: null },
      ]);
      expect(await provider.read("id", outs)).toEqual({});
    });
  });

  describe("policy", () => {
    let outs: SqlObjectOutputs;

    it("creates, then replaces the policy by drop and create", async () => {
      outs = (await provider.create(input(POLICY, policy("true")))).outs;
      outs = (await provider.update("id", outs, input(POLICY, policy("slug <> ''")))).outs;
      expect(
        await query(
          "select qual from pg_policies where policyname = 'authenticated can select organizations'",
        ),
      ).toEqual([{ qual: "(slug <> ''::text)" }]);
    });

    it("shows a policy edited by hand as drift on refresh, and the next update restores it", async () => {
      await query(
        `alter policy "authenticated can select organizations" on public.organizations using (false)`,
      );
      const refreshed = (await provider.read("id", outs)).props as SqlObjectOutputs;
      expect(refreshed.fingerprint).not.toBe(refreshed.appliedFingerprint);
      expect(
        (await provider.diff("id", refreshed, input(POLICY, policy("slug <> ''")))).changes,
      ).toBe(true);
      outs = (await provider.update("id", refreshed, input(POLICY, policy("slug <> ''")))).outs;
      expect(
        await query(
          "select qual from pg_policies where policyname = 'authenticated can select organizations'",
        ),
      ).toEqual([{ qual: "(slug <> ''::text)" }]);
    });

    it("replaces the resource when its identity changes", async () => {
      const renamed = identity(`policy "members can select organizations" on public.organizations`);
      const diff = await provider.diff(
        "id",
        outs,
        input(renamed, policy("true").replace("authenticated can", "members can")),
      );
      expect(diff).toEqual({ changes: true, replaces: ["identity"], deleteBeforeReplace: false });
    });
  });

  describe("view and trigger", () => {
    it("creates a view, then changes its columns by drop and create", async () => {
      const view = identity("view public.organization_slugs");
      const define = (columns: string) =>
        `create or replace view public.organization_slugs with (security_invoker = true) as select ${columns} from public.organizations;`;
      const outs = (await provider.create(input(view, define("id, slug")))).outs;
      await provider.update("id", outs, input(view, define("slug")));
      expect(
        await query(
          "select column_name from information_schema.columns where table_name = 'organization_slugs'",
        ),
      ).toEqual([{ column_name: "slug" }]);
    });

    it("creates a trigger that fires", async () => {
      const [setUpdatedAt] = getSqlObjects(REFERENCE_APP, []).filter(
        (spec) => formatIdentity(spec.identity) === "function orgstack.trigger_set_updated_at()",
      );
      await provider.create(input(setUpdatedAt.identity, setUpdatedAt.definition));
      const trigger = identity("trigger organizations_touch on public.organizations");
      await provider.create(
        input(
          trigger,
          "create trigger organizations_touch before update on public.organizations for each row execute function orgstack.trigger_set_updated_at();",
        ),
      );
      await query(
        "insert into public.organizations (name, slug, updated_at) values ('Acme', 'acme', '2000-01-01')",
      );
      await query("update public.organizations set name = 'Acme Inc' where slug = 'acme'");
      expect(
        await query(
          "select updated_at > now() - interval '1 minute' as touched from public.organizations where slug = 'acme'",
        ),
      ).toEqual([{ touched: true }]);
    });
  });

  describe("failures leave the database as it was", () => {
    let before: string[];
    beforeEach(async () => {
      before = await getCatalogSnapshot(database.url);
    });
    afterEach(async () => {
      expect(await getCatalogSnapshot(database.url)).toEqual(before);
    });

    it("refuses a definition PostgreSQL cannot parse at preview, with the line", async () => {
      const news = {
        ...input(COUNT_FN, "create or replace function\npublic.count_organizations( returns int"),
        source: "sql/objects/public/functions/count_organizations.sql",
      };
      expect(await provider.check({}, news)).toEqual({
        inputs: news,
        failures: [
          {
            property: "definition",
            reason: `'sql/objects/public/functions/count_organizations.sql' line 2: syntax error at end of input.`,
          },
        ],
      });
    });

    it("rolls back a definition that fails, naming the object and the source", async () => {
      const news = {
        ...input(
          POLICY,
          `create policy "authenticated can select organizations" on public.organizations\n  for select to authenticated using (no_such_column);`,
        ),
        source: "sql/objects/public/policies/organizations_select.sql",
      };
      await expect(provider.create(news)).rejects.toThrow(
        `Could not apply policy "authenticated can select organizations" on public.organizations from ` +
          `'sql/objects/public/policies/organizations_select.sql'; nothing was changed: ` +
          `column "no_such_column" does not exist (SQLSTATE 42703)`,
      );
    });

    it("refuses a definition that creates something other than its header says", async () => {
      const other = identity("function public.something_else()");
      await expect(
        provider.create({ ...input(other, countFunction("integer")), source: "x.sql" }),
      ).rejects.toThrow(
        "Could not apply function public.something_else() from 'x.sql'; nothing was changed: its definition ran " +
          "but created no function public.something_else(). Make the header and the SQL agree.",
      );
    });
  });
});
