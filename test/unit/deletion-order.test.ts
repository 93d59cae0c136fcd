import { getDeleteBlockers, runInDeleteOrder } from "../../tools/engine/deletion-order";

/** A stack shaped like orgstack's: a provider, a database, a policy on a component's table. */
const PROVIDER = { urn: "provider", parentUrn: "backend", dependencies: [] };
const DATABASE = {
  urn: "database",
  parentUrn: "postgres",
  dependencies: [],
  providerUrn: "provider",
};
const ROLE = {
  urn: "role",
  parentUrn: "postgres",
  dependencies: ["database"],
  providerUrn: "provider",
};
const MIGRATIONS = { urn: "migrations", parentUrn: "schema", dependencies: ["postgres"] };
const POLICY = { urn: "policy", parentUrn: "schema", dependencies: ["migrations"] };
const RESOURCES = [PROVIDER, DATABASE, ROLE, MIGRATIONS, POLICY];
/** Components: postgres and schema sit under backend. */
const COMPONENTS = new Map([
  ["backend", ""],
  ["postgres", "backend"],
  ["schema", "backend"],
]);

describe("getDeleteBlockers", () => {
  it("makes a resource wait for its dependents, for what it provides for, and for everything below a component that is depended on", () => {
    const blockers = getDeleteBlockers(RESOURCES, COMPONENTS);
    const sorted = (urn: string) => [...blockers.get(urn)!].sort();
    expect(sorted("policy")).toEqual([]);
    expect(sorted("migrations")).toEqual(["policy"]);
    expect(sorted("role")).toEqual(["migrations"]);
    expect(sorted("database")).toEqual(["migrations", "role"]);
    expect(sorted("provider")).toEqual(["database", "role"]);
  });
});

describe("runInDeleteOrder", () => {
  it("deletes in reverse dependency order and runs independent deletes at the same time", async () => {
    const events: string[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const leaves = ["a", "b", "c"].map((urn) => ({ urn, parentUrn: "", dependencies: ["root"] }));
    const root = { urn: "root", parentUrn: "", dependencies: [] };
    const errors = await runInDeleteOrder([root, ...leaves], new Map(), async (urn) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(urn);
      running--;
    });
    expect(errors).toEqual([]);
    expect(events[3]).toBe("root");
    expect(mostAtOnce).toBe(3);
  });

  it("keeps what a failed delete still needs, and reports the failure", async () => {
    const deleted: string[] = [];
    const errors = await runInDeleteOrder(RESOURCES, COMPONENTS, async (urn) => {
      if (urn === "role") throw new Error("role is still in use");
      deleted.push(urn);
    });
    expect(errors.map((e) => e.message)).toEqual(["role is still in use"]);
    expect(deleted.sort()).toEqual(["migrations", "policy"]);
  });
});
