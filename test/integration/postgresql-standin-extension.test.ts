import {
  createStandIn,
  deleteStandIn,
  diffStandIn,
  readStandIn,
  updateStandIn,
} from "../../tools/engine/postgresql-standin";
import {
  database,
  EXTENSION,
  provider,
  query,
  useStandInDatabase,
} from "./postgresql-standin-fixtures";

useStandInDatabase();

describe("postgresql stand-in: Extension", () => {
  it("adopts a preinstalled extension where it is, moves it on update and drops it on delete", async () => {
    await query(database.url, "create schema extensions");
    await query(database.url, "create extension pgcrypto schema public");
    const [{ extversion }] = await query(
      database.url,
      "select extversion from pg_extension where extname = 'pgcrypto'",
    );
    const inputs = { name: "pgcrypto", schema: "extensions", database: database.name };
    const created = await createStandIn(provider, EXTENSION, inputs);
    expect(created).toEqual({
      id: `${database.name}.pgcrypto`,
      outputs: {
        ...inputs,
        schema: "public",
        version: extversion,
        dropCascade: false,
        createCascade: false,
      },
    });
    expect(diffStandIn(EXTENSION, created.outputs, inputs)).toEqual({
      changes: true,
      replaces: [],
      diffs: ["schema"],
    });

    const moved = await updateStandIn(provider, EXTENSION, created, inputs);
    expect(moved.outputs.schema).toBe("extensions");
    await deleteStandIn(provider, EXTENSION, moved);
    expect(
      await query(database.url, "select 1 from pg_extension where extname = 'pgcrypto'"),
    ).toEqual([]);
    expect(await readStandIn(provider, EXTENSION, moved)).toBeUndefined();
  });

  it("replaces for 'name' and 'database'", () => {
    const olds = { name: "pgcrypto", schema: "extensions", version: "1.3", database: "d" };
    expect(diffStandIn(EXTENSION, olds, { name: "uuid-ossp", database: "e" }).replaces).toEqual([
      "name",
      "database",
    ]);
  });
});
