import * as crypto from "crypto";
import { buildSchema, cloneDatabase, ensureTemplate, parseStamp } from "../../components/ephemeral";
import { quoteIdent, withClient, withDatabase } from "../../components/lib/pg";
import { REFERENCE_APP } from "../../app";
import { getServerUrl } from "../../tools/testing/test-database";

const serverUrl = getServerUrl();
const randomKey = () => crypto.randomBytes(6).toString("hex");

async function dropDatabases(names: readonly string[]): Promise<void> {
  await withClient(serverUrl, async (c) => {
    for (const name of names) {
      const exists = await c.query("select 1 from pg_database where datname = $1", [name]);
      if (exists.rowCount === 0) continue;
      await c.query(`alter database ${quoteIdent(name)} is_template false`);
      await c.query(`drop database ${quoteIdent(name)} with (force)`);
    }
  });
}

async function readDatabase(name: string) {
  const { rows } = await withClient(serverUrl, (c) =>
    c.query(
      `select datname, datistemplate, shobj_description(oid, 'pg_database') as comment
         from pg_database where datname = $1 or datname = $1 || '_build'`,
      [name],
    ),
  );
  return rows;
}

describe("template databases keyed by the schema sources", () => {
  const created: string[] = [];
  afterAll(() => dropDatabases(created));

  it("builds a template once when two PRs ask for it at the same time; both get it", async () => {
    const template = `app_template_${randomKey()}`;
    created.push(template);
    let builds = 0;
    const build = async (url: string) => {
      builds += 1;
      // Slow enough that the second request arrives while the first is building.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await withClient(url, (c) => c.query("create table built_by_template (n int)"));
    };
    const results = await Promise.all([
      ensureTemplate({ serverUrl, template, build }),
      ensureTemplate({ serverUrl, template, build }),
    ]);
    expect(builds).toBe(1);
    expect(results.map((r) => r.template)).toEqual([template, template]);
    expect(results.map((r) => r.built).sort()).toEqual([false, true]);
    const rows = await readDatabase(template);
    expect(rows.map((r) => [r.datname, r.datistemplate])).toEqual([[template, true]]);
    expect(parseStamp(rows[0].comment)?.stack).toBe("template");
  });

  it("leaves no template under its name when the build fails, and the next request builds it", async () => {
    const template = `app_template_${randomKey()}`;
    created.push(template, `${template}_build`);
    const failing = async () => {
      throw new Error("migration 0003 failed");
    };
    await expect(ensureTemplate({ serverUrl, template, build: failing })).rejects.toThrow(
      "migration 0003 failed",
    );
    expect((await readDatabase(template)).map((r) => r.datname)).toEqual([`${template}_build`]);
    const again = await ensureTemplate({ serverUrl, template, build: async () => undefined });
    expect(again.built).toBe(true);
    expect((await readDatabase(template)).map((r) => r.datname)).toEqual([template]);
  });

  it("clones a PR database that carries the template's migration history and objects", async () => {
    const template = `app_template_${randomKey()}`;
    const database = `app_pr_${crypto.randomInt(100000, 999999)}`;
    created.push(template, database);
    const build = (url: string) => buildSchema({ url, app: REFERENCE_APP, flavor: "postgres" });
    const ensured = await ensureTemplate({ serverUrl, template, build });
    expect(ensured.built).toBe(true);
    const now = new Date("2026-11-20T10:00:00Z");
    const seconds = await cloneDatabase({ serverUrl, template, database, stack: "pr-7", now });
    expect(seconds).toBeLessThan(5);
    const history = await withClient(withDatabase(serverUrl, database), (c) =>
      c.query(
        "select track || '/' || version as id from orgstack.schema_migrations order by track desc, version",
      ),
    );
    expect(history.rows.map((r) => r.id)).toEqual([
      ...["0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010"].map(
        (v) => `platform/${v}`,
      ),
      "app/0001",
      "app/0002",
    ]);
    const objects = await withClient(withDatabase(serverUrl, database), (c) =>
      c.query(
        `select (select count(*)::int from pg_policy) as policies,
                to_regprocedure('orgstack.get_role_rank(text)') is not null as function`,
      ),
    );
    expect(objects.rows[0].policies).toBeGreaterThan(10);
    expect(objects.rows[0].function).toBe(true);
    const [row] = await readDatabase(database);
    expect(parseStamp(row.comment)).toEqual({ stack: "pr-7", updatedAt: now });
    expect(row.datistemplate).toBe(false);
  });
});
