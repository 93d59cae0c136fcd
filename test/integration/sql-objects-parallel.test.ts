import { withClient } from "../../components/lib/pg";
import { getIdentity, type SqlObjectSpec } from "../../components/schema";
import {
  sqlObjectProvider,
  type SqlObjectInputs,
  type SqlObjectOutputs,
} from "../../components/schema/sql-object-provider";
import {
  createTestDatabase,
  getConnection,
  type TestDatabase,
} from "../../tools/testing/test-database";

/** Enough objects on one table that unqueued DROP POLICY / DROP TRIGGER pairs deadlock. */
const POLICY_COUNT = 16;

function getPolicy(database: TestDatabase, index: number, limit: number): SqlObjectInputs {
  const name = `reader ${index} can select notes`;
  const spec: Pick<SqlObjectSpec, "identity" | "definition"> = {
    identity: getIdentity(`policy "${name}" on public.notes`),
    definition: `create policy "${name}" on public.notes for select to public using (id < ${limit});`,
  };
  return { ...spec, connection: getConnection(database), source: `test policy ${index}` };
}

/** Runs every call at once, as the engine runs independent steps; returns the failures. */
async function runAtOnce<T>(calls: (() => Promise<T>)[]): Promise<string[]> {
  const results = await Promise.allSettled(calls.map((call) => call()));
  return results
    .filter((r): r is PromiseRejectedResult => r.status === "rejected")
    .map((r) => (r.reason as Error).message);
}

describe("SQL objects changed in parallel", () => {
  let database: TestDatabase;
  let applied: SqlObjectOutputs[];

  beforeAll(async () => {
    database = await createTestDatabase();
    await withClient(database.url, (c) =>
      c.query(
        "create table public.notes (id int primary key); alter table public.notes enable row level security",
      ),
    );
    applied = [];
    for (let i = 0; i < POLICY_COUNT; i++) {
      const created = await sqlObjectProvider.create(getPolicy(database, i, 10));
      applied.push(created.outs as SqlObjectOutputs);
    }
  });
  afterAll(() => database.drop());

  it("updates every policy of one table at once without a deadlock", async () => {
    const failures = await runAtOnce(
      applied.map((olds, i) => async () => {
        const news = getPolicy(database, i, 20);
        const updated = await sqlObjectProvider.update!(olds.identity.kind, olds, news);
        applied[i] = updated.outs as SqlObjectOutputs;
      }),
    );
    expect(failures).toEqual([]);
    const { rows } = await withClient(database.url, (c) =>
      c.query("select count(*)::int as n from pg_policies where qual = '(id < 20)'"),
    );
    expect(rows).toEqual([{ n: POLICY_COUNT }]);
  });

  it("deletes every policy of one table at once without a deadlock", async () => {
    const failures = await runAtOnce(
      applied.map((olds) => () => sqlObjectProvider.delete!(olds.identity.kind, olds)),
    );
    expect(failures).toEqual([]);
    const { rows } = await withClient(database.url, (c) =>
      c.query("select count(*)::int as n from pg_policies where tablename = 'notes'"),
    );
    expect(rows).toEqual([{ n: 0 }]);
  });
});
