import { formatIdentity } from "../../components/schema";
import {
  planTenantTable,
  TenantTableError,
  validateTenantTableSpec,
  type TenantTableSpec,
} from "../../components/tenancy";

/** A SaaS "billing" role added to the ladder: the one TypeScript edit, made in a fixture. */
const LADDER_WITH_BILLING = ["owner", "billing", "admin", "member", "viewer"];

const MEMBERS =
  "organization_id = any (array(select m.organization_id from orgstack.current_memberships m))";
const membersFrom = (roles: string) =>
  `organization_id = any (array(select m.organization_id from orgstack.current_memberships m where m.role in (${roles})))`;

/** Each policy of the plan, by name, as `using | with check`. */
function getPolicies(spec: TenantTableSpec, ladder?: readonly string[]): Record<string, string> {
  const policies: Record<string, string> = {};
  for (const object of planTenantTable(spec, "test", ladder)) {
    if (object.identity.kind !== "policy") continue;
    const clause = (keyword: string) =>
      new RegExp(`^  ${keyword} \\((.*)\\);?$`, "m").exec(object.definition)?.[1] ?? "-";
    policies[object.identity.name] = `${clause("using")} | ${clause("with check")}`;
  }
  return policies;
}

describe("planTenantTable", () => {
  it("lets admins and above write a members-read/admins-write table", () => {
    const admins = membersFrom("'owner', 'admin'");
    expect(getPolicies({ table: "notes", access: "members-read/admins-write" })).toEqual({
      "members can select notes": `${MEMBERS} | -`,
      "admins can insert notes": `- | ${admins}`,
      "admins can update notes": `${admins} | ${admins}`,
      "admins can delete notes": `${admins} | -`,
    });
  });

  it("gives a role added to the ladder the rights of its rank in every profile", () => {
    const fromAdmin = membersFrom("'owner', 'billing', 'admin'");
    const fromMember = membersFrom("'owner', 'billing', 'admin', 'member'");
    expect(
      getPolicies({ table: "notes", access: "members-read/admins-write" }, LADDER_WITH_BILLING),
    ).toEqual({
      "members can select notes": `${MEMBERS} | -`,
      "admins can insert notes": `- | ${fromAdmin}`,
      "admins can update notes": `${fromAdmin} | ${fromAdmin}`,
      "admins can delete notes": `${fromAdmin} | -`,
    });
    expect(getPolicies({ table: "tasks", access: "members-write" }, LADDER_WITH_BILLING)).toEqual({
      "members can select tasks": `${MEMBERS} | -`,
      "members can insert tasks": `- | ${fromMember}`,
      "members can update tasks": `${fromMember} | ${fromMember}`,
      "members can delete tasks": `${fromMember} | -`,
    });
    const ownRow = `(${fromMember} and owner_id = (select auth.uid()))`;
    const handedToMember =
      "(public.projects.owner_id is null or exists (select 1 from public.organization_members m" +
      " where m.organization_id = public.projects.organization_id and m.user_id = public.projects.owner_id))";
    expect(
      getPolicies(
        { table: "projects", access: "owner-rows", ownerColumn: "owner_id" },
        LADDER_WITH_BILLING,
      ),
    ).toEqual({
      "members can select projects": `${MEMBERS} | -`,
      "members can insert projects": `- | ${fromMember} and owner_id = (select auth.uid())`,
      "owners and admins can update projects": `${ownRow} or ${fromAdmin} | ${ownRow} or (${fromAdmin} and ${handedToMember})`,
      "owners and admins can delete projects": `${ownRow} or ${fromAdmin} | -`,
    });
  });

  it("keeps the guard triggers of a table whatever the ladder", () => {
    const spec: TenantTableSpec = { table: "tasks", access: "members-write" };
    const triggers = (ladder?: readonly string[]) =>
      planTenantTable(spec, "test", ladder)
        .filter((o) => o.identity.kind === "trigger")
        .map((o) => formatIdentity(o.identity));
    expect(triggers(LADDER_WITH_BILLING)).toEqual([
      "trigger tasks_guard_tenant_row on public.tasks",
      "trigger tasks_guard_references on public.tasks",
      "trigger tasks_set_updated_at on public.tasks",
      "trigger tasks_record_change on public.tasks",
    ]);
    expect(triggers()).toEqual(triggers(LADDER_WITH_BILLING));
  });
});

describe("validateTenantTableSpec", () => {
  it("lists every problem of a declaration in one TenantTableError", () => {
    const spec = {
      table: "Bad Table",
      access: "owner-rows",
      activity: { insert: "Created!", label: "name" },
    } as const;
    let caught: unknown;
    try {
      validateTenantTableSpec(spec);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TenantTableError);
    expect((caught as TenantTableError).message).toBe(
      [
        "Invalid TenantTable 'Bad Table':",
        `  - 'table': "Bad Table" is not a plain PostgreSQL identifier. Use lowercase letters, digits and '_', starting with a letter or '_'.`,
        `  - 'activity.insert': expected a type like "project.created" (lowercase words joined by '.', '_' or '-'); found "Created!".`,
        `  - 'ownerColumn' is required with access "owner-rows": name the uuid column that holds the row's owner.`,
      ].join("\n"),
    );
  });
});

describe("planTenantTable: what a policy waits for", () => {
  const requiresOf = (spec: TenantTableSpec) =>
    planTenantTable(spec, "test")
      .filter((o) => o.identity.kind === "policy")
      .map((o) => o.requires.map(formatIdentity));

  it("makes a custom table's policies wait for the membership helpers its expressions may call", () => {
    const custom: TenantTableSpec = {
      table: "orders",
      access: "custom",
      policies: {
        select: "orgstack.has_role(organization_id, 'viewer')",
        insert: "orgstack.is_member(organization_id)",
        update: "false",
        delete: "false",
      },
    };
    for (const requires of requiresOf(custom)) {
      expect(requires).toEqual(
        expect.arrayContaining([
          "view orgstack.current_memberships",
          "function orgstack.has_role(uuid, text)",
          "function orgstack.is_member(uuid)",
        ]),
      );
    }
  });

  it("makes a built-in profile's policies wait for the membership view", () => {
    for (const requires of requiresOf({ table: "notes", access: "members-write" })) {
      expect(requires).toContain("view orgstack.current_memberships");
    }
  });
});
