import * as fs from "fs";
import * as path from "path";
import { getMembershipCheck, getRolesFrom, ROLE_LADDER } from "../../components/lib/roles";

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
