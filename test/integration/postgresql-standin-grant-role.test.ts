import {
  createStandIn,
  deleteStandIn,
  diffStandIn,
  readStandIn,
} from "../../tools/engine/postgresql-standin";
import {
  database,
  getMemberships,
  getRoleName,
  GRANT_ROLE,
  provider,
  ROLE,
  useStandInDatabase,
} from "./postgresql-standin-fixtures";

useStandInDatabase();

describe("postgresql stand-in: GrantRole", () => {
  it("grants on create, reads the membership, revokes on delete", async () => {
    const group = getRoleName("grant_group");
    const member = getRoleName("grant_member");
    await createStandIn(provider, ROLE, { name: group });
    await createStandIn(provider, ROLE, { name: member });
    const grant = await createStandIn(provider, GRANT_ROLE, { role: member, grantRole: group });
    expect(grant).toEqual({
      id: `${member}_${group}_false`,
      outputs: { role: member, grantRole: group, withAdminOption: false },
    });
    expect(await getMemberships(database.url, member)).toEqual([group]);
    expect(await readStandIn(provider, GRANT_ROLE, grant)).toEqual(grant);

    await deleteStandIn(provider, GRANT_ROLE, grant);
    expect(await getMemberships(database.url, member)).toEqual([]);
    expect(await readStandIn(provider, GRANT_ROLE, grant)).toBeUndefined();
  });

  it("replaces for every input: it has no update", () => {
    const olds = { role: "a", grantRole: "b", withAdminOption: false };
    expect(diffStandIn(GRANT_ROLE, olds, { role: "a", grantRole: "c" })).toEqual({
      changes: true,
      replaces: ["grantRole"],
      diffs: ["grantRole"],
    });
    expect(diffStandIn(GRANT_ROLE, olds, { role: "a", grantRole: "b" }).changes).toBe(false);
  });
});
