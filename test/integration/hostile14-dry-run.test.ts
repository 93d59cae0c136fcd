/**
 * Hostile review of pr-summary's dry run (issue 14): it runs the PR's object definitions on the
 * deployed database (staging) in a transaction that is rolled back. What a rollback does not
 * undo (sequences, DO blocks with their own effects) must not run there at all.
 */
import type { Client } from "pg";
import { withClient, withDatabase } from "../../components/lib/pg";
import { readObjectStates } from "../../components/review/reader";
import { getIdentity, type SqlObjectSpec } from "../../components/schema/sql-object";
import { CRON_DATABASE } from "../../tools/testing/cluster";
import {
  createTestDatabase,
  getServerUrl,
  type TestDatabase,
} from "../../tools/testing/test-database";

const spec = (identity: string, definition: string): SqlObjectSpec => ({
  identity: getIdentity(identity),
  definition,
  requires: [],
  source: "sql/objects/hostile.sql",
});

const lastValue = async (c: Client) =>
  (await c.query("select last_value, is_called from public.invoice_numbers")).rows[0];

describe("pr-summary's dry run on a live database", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("hostile14_dry_run");
    await withClient(database.url, (c) =>
      c.query("create sequence public.invoice_numbers; select nextval('public.invoice_numbers')"),
    );
  });
  afterAll(() => database.drop());

  it("runs no definition that would advance a sequence for good, and says why", async () => {
    const hostile = [
      spec(
        "function public.next_invoice()",
        "create function public.next_invoice() returns bigint language sql as $$ select 1::bigint $$;\n" +
          "select setval('public.invoice_numbers', 100000);",
      ),
      spec(
        "view public.v",
        "create view public.v as select 1 as one;\n" +
          "do $$ begin perform nextval('public.invoice_numbers'); end $$;",
      ),
    ];
    const plain = spec(
      "function public.plain()",
      "create function public.plain() returns int language sql as $$ select 1 $$;",
    );
    const states = await withClient(database.url, async (c) => {
      const before = await lastValue(c);
      const found = await readObjectStates(c, [...hostile, plain]);
      expect(await lastValue(c)).toEqual(before);
      return found;
    });
    for (const name of ["function public.next_invoice()", "view public.v"]) {
      expect(states.get(name)?.planned).toBeUndefined();
      expect(states.get(name)?.error).toMatch(/not run by the dry run: .*(SELECT|DO)/);
    }
    // An ordinary definition still runs, and is compared.
    expect(states.get("function public.plain()")?.planned).toBeDefined();
  });

  it("leaves no pg_cron job behind when a cron_job's definition runs (cron.schedule rolls back)", async () => {
    const cronUrl = withDatabase(getServerUrl(), CRON_DATABASE);
    const name = `hostile14_${process.pid}`;
    const job = spec(
      `cron_job ${name}`,
      `select cron.schedule('${name}', '17 3 * * *', 'select 1');`,
    );
    await withClient(cronUrl, async (c) => {
      await c.query("create extension if not exists pg_cron");
      const states = await readObjectStates(c, [job]);
      expect(states.get(`cron_job ${name}`)?.planned).toBeDefined();
      const { rowCount } = await c.query("select 1 from cron.job where jobname = $1", [name]);
      expect(rowCount).toBe(0);
    });
  });
});
