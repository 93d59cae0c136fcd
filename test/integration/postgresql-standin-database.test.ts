import { Client } from "pg";
import { getServerUrl } from "../../tools/testing/test-database";
import { quoteIdent, withDatabase } from "../../components/lib/pg";
import {
  createStandIn,
  deleteStandIn,
  diffStandIn,
  readStandIn,
} from "../../tools/engine/postgresql-standin";
import {
  DATABASE,
  getDatabaseName,
  provider,
  query,
  serverProvider,
  SUFFIX,
  useStandInDatabase,
} from "./postgresql-standin-fixtures";

useStandInDatabase();

describe("postgresql stand-in: Database", () => {
  async function getTables(name: string): Promise<string[]> {
    const url = withDatabase(getServerUrl(), name);
    const rows = await query(url, "select tablename from pg_tables where schemaname = 'public'");
    return rows.map((row) => row.tablename);
  }

  it("creates from template0 unless 'template' is given: a table in template1 does not appear", async () => {
    const marker = `marker_${SUFFIX}`;
    const template1 = withDatabase(getServerUrl(), "template1");
    const name = getDatabaseName("db");
    await query(template1, `create table ${quoteIdent(marker)} ()`);
    const created = await createStandIn(serverProvider, DATABASE, {
      name,
      owner: provider.username,
    }).finally(() => query(template1, `drop table ${quoteIdent(marker)}`));
    expect(await getTables(name)).toEqual([]);
    const [locale] = await query(
      getServerUrl(),
      "select datcollate, datctype from pg_database where datname = 'template0'",
    );
    expect(created.outputs).toEqual({
      name,
      owner: provider.username,
      template: "template0",
      encoding: "UTF8",
      lcCollate: locale.datcollate,
      lcCtype: locale.datctype,
      tablespaceName: "pg_default",
      connectionLimit: -1,
      allowConnections: true,
      isTemplate: false,
      alterObjectOwnership: false,
    });

    const template = getDatabaseName("template");
    await query(getServerUrl(), `create database ${quoteIdent(template)}`);
    await query(withDatabase(getServerUrl(), template), `create table ${quoteIdent(marker)} ()`);
    const copy = getDatabaseName("copy");
    await createStandIn(serverProvider, DATABASE, { name: copy, template });
    expect(await getTables(copy)).toEqual([marker]);
  });

  it("drops a database while a session is connected to it; refresh then finds it gone", async () => {
    const name = getDatabaseName("busy");
    const created = await createStandIn(serverProvider, DATABASE, { name });
    const session = new Client({ connectionString: withDatabase(getServerUrl(), name) });
    const sessionErrors: Error[] = [];
    session.on("error", (error) => sessionErrors.push(error));
    await session.connect();
    try {
      await deleteStandIn(serverProvider, DATABASE, created);
      await expect(session.query("select 1")).rejects.toThrow();
    } finally {
      await session.end().catch(() => undefined);
    }
    expect(await readStandIn(serverProvider, DATABASE, created)).toBeUndefined();
  });

  it("replaces for template, encoding and locale; renames and changes owner in place", () => {
    const olds = {
      name: "a",
      owner: "o",
      template: "template0",
      encoding: "UTF8",
      lcCollate: "C",
      lcCtype: "C",
      connectionLimit: -1,
      allowConnections: true,
      isTemplate: false,
    };
    expect(diffStandIn(DATABASE, olds, { name: "a", template: "template1" })).toEqual({
      changes: true,
      replaces: ["template"],
      diffs: ["template"],
    });
    expect(
      diffStandIn(DATABASE, olds, { name: "a", encoding: "LATIN1", lcCollate: "POSIX" }),
    ).toEqual({
      changes: true,
      replaces: ["encoding", "lcCollate"],
      diffs: ["encoding", "lcCollate"],
    });
    expect(diffStandIn(DATABASE, olds, { name: "b", owner: "p" })).toEqual({
      changes: true,
      replaces: [],
      diffs: ["name", "owner"],
    });
  });
});
