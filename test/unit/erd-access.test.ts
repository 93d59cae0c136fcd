import { getAccessProfile, getPolicySignature } from "../../components/monitoring/erd-access";

/** Policy names as a deployed TenantTable leaves them, written out by hand. */
const OWNER_ROWS = [
  "members can select tasks",
  "members can insert tasks",
  "owners and admins can update tasks",
  "owners and admins can delete tasks",
];

describe("getAccessProfile", () => {
  it("tells each profile by its policies' names", () => {
    const writers = (who: string) =>
      ["insert", "update", "delete"].map((command) => `${who} can ${command} tasks`);
    expect(getAccessProfile("tasks", OWNER_ROWS)).toBe("owner-rows");
    expect(getAccessProfile("tasks", ["members can select tasks", ...writers("admins")])).toBe(
      "members-read/admins-write",
    );
    expect(getAccessProfile("tasks", ["members can select tasks", ...writers("members")])).toBe(
      "members-write",
    );
    expect(getAccessProfile("tasks", ["members can select tasks", ...writers("nobody")])).toBe(
      "read-only",
    );
    expect(
      getAccessProfile("tasks", ["authenticated can select tasks", ...writers("authenticated")]),
    ).toBe("custom");
  });

  it("names no profile for policies that match none, or are missing, doubled or foreign", () => {
    // The platform's organization_members: its own rules, by the same naming convention.
    expect(
      getAccessProfile("organization_members", [
        "members can select organization_members",
        "nobody can insert organization_members",
        "admins can update organization_members",
        "admins and the member can delete organization_members",
      ]),
    ).toBeUndefined();
    expect(getAccessProfile("tasks", OWNER_ROWS.slice(1))).toBeUndefined();
    expect(getAccessProfile("tasks", [...OWNER_ROWS, "admins can update tasks"])).toBeUndefined();
    expect(getAccessProfile("tasks", [...OWNER_ROWS, "read everything"])).toBeUndefined();
    expect(getAccessProfile("projects", OWNER_ROWS)).toBeUndefined();
    expect(getAccessProfile("tasks", [])).toBeUndefined();
  });
});

describe("getPolicySignature", () => {
  it("reads who may do what, for a table whose name has spaces and ' can '", () => {
    const table = "my can select table";
    expect(
      getPolicySignature(
        ["select", "insert", "update", "delete"].map((c) => `a b can ${c} ${table}`),
        table,
      ),
    ).toEqual({ select: "a b", insert: "a b", update: "a b", delete: "a b" });
  });
});
