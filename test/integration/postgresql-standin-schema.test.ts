import { quoteIdent } from "../../components/lib/pg";
import {
  createStandIn,
  deleteStandIn,
  diffStandIn,
  readStandIn,
} from "../../tools/engine/postgresql-standin";
import {
  database,
  expectRejection,
  provider,
  query,
  SCHEMA,
  SUFFIX,
  useStandInDatabase,
} from "./postgresql-standin-fixtures";

useStandInDatabase();

describe("postgresql stand-in: Schema", () => {
  it("adopts an existing schema even with 'ifNotExists' false", async () => {
    const name = `adopted_${SUFFIX}`;
    await query(database.url, `create schema ${quoteIdent(name)}`);
    const created = await createStandIn(provider, SCHEMA, {
      name,
      database: database.name,
      ifNotExists: false,
    });
    expect(created).toEqual({
      id: `${database.name}.${name}`,
      outputs: {
        name,
        database: database.name,
        owner: provider.username,
        ifNotExists: false,
        dropCascade: false,
      },
    });
  });

  it("drops with RESTRICT, so a schema holding a table survives, unless 'dropCascade'", async () => {
    const name = `full_${SUFFIX}`;
    const created = await createStandIn(provider, SCHEMA, { name, database: database.name });
    await query(database.url, `create table ${quoteIdent(name)}.t ()`);
    await expectRejection(
      deleteStandIn(provider, SCHEMA, created),
      `Error deleting schema: pq: cannot drop schema ${name} because other objects depend on it`,
    );
    expect(await readStandIn(provider, SCHEMA, created)).toEqual(created);

    const cascading = { ...created, outputs: { ...created.outputs, dropCascade: true } };
    await deleteStandIn(provider, SCHEMA, cascading);
    expect(await readStandIn(provider, SCHEMA, created)).toBeUndefined();
  });

  it("replaces for 'database'; renames in place", () => {
    const olds = { name: "s", database: "d", owner: "o", ifNotExists: true, dropCascade: false };
    expect(diffStandIn(SCHEMA, olds, { name: "s", database: "e" }).replaces).toEqual(["database"]);
    expect(diffStandIn(SCHEMA, olds, { name: "t", database: "d" })).toEqual({
      changes: true,
      replaces: [],
      diffs: ["name"],
    });
  });
});
