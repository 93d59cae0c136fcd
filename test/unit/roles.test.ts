import * as fs from "fs";
import * as path from "path";
import {
  getMembershipCheck,
  getRoleLadderProblems,
  getRolesFrom,
  ROLE_LADDER,
} from "../../components/lib/roles";
import { formatIdentity, getSqlObjects } from "../../components/schema";
import { STARTER_DIR } from "../../tools/engine/program";

const SQL_LADDER = path.join(__dirname, "../../sql/objects/orgstack/functions/get_role_ladder.sql");

/** The roles listed in get_role_ladder()'s body, `select array['owner', ...]`. */
function readSqlLadder(): string[] {
  const body = /select array\[([^\]]*)\]/.exec(fs.readFileSync(SQL_LADDER, "utf8"));
  if (!body) throw new Error(`No 'select array[...]' in ${SQL_LADDER}.`);
  return body[1].split(",").map((literal) => literal.trim().replace(/^'(.*)'$/, "$1"));
}

const VIEW = "array(select m.organization_id from orgstack.current_memberships m";

describe("ROLE_LADDER", () => {
  it("ranks owner > admin > member > viewer", () => {
    expect(ROLE_LADDER).toEqual(["owner", "admin", "member", "viewer"]);
  });

  it("lists the roles of the SQL ladder, in the same order", () => {
    expect(readSqlLadder()).toEqual([...ROLE_LADDER]);
  });
});

describe("getRolesFrom", () => {
  it.each([
    ["owner", ["owner"]],
    ["admin", ["owner", "admin"]],
    ["member", ["owner", "admin", "member"]],
    ["viewer", ["owner", "admin", "member", "viewer"]],
  ])("gives the roles at or above %s", (role, roles) => {
    expect(getRolesFrom(role)).toEqual(roles);
  });

  it("ranks a role added to the ladder", () => {
    const ladder = ["owner", "billing", "admin", "member", "viewer"];
    expect([getRolesFrom("admin", ladder), getRolesFrom("billing", ladder)]).toEqual([
      ["owner", "billing", "admin"],
      ["owner", "billing"],
    ]);
  });

  it("refuses a role that is not on the ladder", () => {
    expect(() => getRolesFrom("billing")).toThrow(
      new Error('Unknown member role "billing". The ladder is owner > admin > member > viewer.'),
    );
  });
});

describe("getMembershipCheck", () => {
  it("reads any membership without a role filter", () => {
    expect([getMembershipCheck(), getMembershipCheck({ minRole: "viewer" })]).toEqual([
      `organization_id = any (${VIEW}))`,
      `organization_id = any (${VIEW}))`,
    ]);
  });

  it("writes out the roles at or above the minimum", () => {
    expect([
      getMembershipCheck({ minRole: "admin" }),
      getMembershipCheck({ minRole: "owner", column: "id" }),
    ]).toEqual([
      `organization_id = any (${VIEW} where m.role in ('owner', 'admin')))`,
      `id = any (${VIEW} where m.role in ('owner')))`,
    ]);
  });

  it("includes a role added to the ladder", () => {
    const ladder = ["owner", "billing", "admin", "member", "viewer"];
    expect(getMembershipCheck({ minRole: "member", ladder })).toBe(
      `organization_id = any (${VIEW} where m.role in ('owner', 'billing', 'admin', 'member')))`,
    );
  });
});

describe("an app's own roles (AppSchema.roles)", () => {
  const BILLING = ["owner", "admin", "billing", "member", "viewer"];

  it("accepts the standard ladder with a role of the app's below owner", () => {
    expect(getRoleLadderProblems(BILLING)).toEqual([]);
    expect(getRoleLadderProblems(["owner", "billing", "admin", "member", "viewer"])).toEqual([]);
  });

  it("names every problem of a ladder at once", () => {
    expect(getRoleLadderProblems(["Billing", "admin", "member", "member", "owner"])).toEqual([
      `'roles' has "Billing": a role is lowercase letters, digits and _, starting with a letter, at most 40 characters.`,
      `'roles' ["Billing","admin","member","member","owner"] lists ["member"] more than once.`,
      `'roles' ["Billing","admin","member","member","owner"] lacks ["viewer"]: the platform's roles owner > admin > member > viewer must all be on the ladder.`,
    ]);
    expect(getRoleLadderProblems(["billing", "owner", "admin", "member", "viewer"])).toEqual([
      `'roles' ["billing","owner","admin","member","viewer"] ranks the platform's roles out of order: owner first, then admin, member and viewer in that order, with your roles anywhere below owner.`,
    ]);
    expect(getRoleLadderProblems(["owner", "member", "admin", "viewer"])).toHaveLength(1);
  });

  it("defines get_role_ladder() and plans every policy from the app's ladder", () => {
    const roles = ["owner", "billing", "admin", "member", "viewer"];
    const specs = getSqlObjects({ dir: STARTER_DIR, migrations: "migrations", roles }, []);
    const ladder = specs.find(
      (s) => formatIdentity(s.identity) === "function orgstack.get_role_ladder()",
    );
    expect(ladder?.definition).toContain(
      "select array['owner', 'billing', 'admin', 'member', 'viewer']",
    );
    expect(ladder?.definition).toContain("set search_path = ''");
    const policies = specs.filter((s) => s.identity.kind === "policy");
    const adminPolicies = policies.filter((s) =>
      formatIdentity(s.identity).startsWith('policy "admins '),
    );
    expect(adminPolicies.length).toBeGreaterThan(5);
    for (const policy of adminPolicies) {
      expect(policy.definition).toContain("m.role in ('owner', 'billing', 'admin')");
    }
  });

  it("leaves the platform's file as it is without the option", () => {
    const specs = getSqlObjects({ dir: STARTER_DIR, migrations: "migrations" }, []);
    const ladder = specs.find(
      (s) => formatIdentity(s.identity) === "function orgstack.get_role_ladder()",
    );
    expect(ladder?.definition).toBe(fs.readFileSync(SQL_LADDER, "utf8"));
  });

  it("refuses a bad ladder before any object is planned", () => {
    expect(() =>
      getSqlObjects({ dir: STARTER_DIR, migrations: "migrations", roles: ["owner", "admin"] }, []),
    ).toThrow(`lacks ["member","viewer"]`);
  });
});

describe("getMembershipCheck with exact roles", () => {
  const ladder = ["owner", "admin", "billing", "member", "viewer"];

  it("admits exactly the roles named, in ladder order", () => {
    expect(getMembershipCheck({ roles: ["billing", "owner"], ladder })).toBe(
      `organization_id = any (${VIEW} where m.role in ('owner', 'billing')))`,
    );
  });

  it("refuses a role off the ladder, or roles with minRole", () => {
    expect(() => getMembershipCheck({ roles: ["owner", "treasurer"], ladder })).toThrow(
      `getMembershipCheck: 'roles' ["owner","treasurer"] must be one or more roles of the ladder owner > admin > billing > member > viewer, without 'minRole'.`,
    );
    expect(() => getMembershipCheck({ roles: ["owner"], minRole: "admin", ladder })).toThrow(
      "without 'minRole'",
    );
  });
});
