import { formatIdentity } from "../../components/schema";
import { planTenantTable } from "../../components/tenancy";

/** The reference guard TenantTable declares: every foreign key stays inside the organization. */
describe("planTenantTable: the reference guard", () => {
  const plan = planTenantTable({ table: "tasks", access: "members-write" }, "test");
  const named = (identity: string) => plan.find((o) => formatIdentity(o.identity) === identity);

  it("declares the objects of a table, the reference guard among them", () => {
    expect(plan.map((o) => formatIdentity(o.identity))).toEqual([
      "rls on public.tasks",
      "index public.tasks_organization_id_idx",
      "trigger tasks_guard_tenant_row on public.tasks",
      "trigger tasks_guard_references on public.tasks",
      "trigger tasks_set_updated_at on public.tasks",
      "trigger tasks_record_change on public.tasks",
      'policy "members can select tasks" on public.tasks',
      'policy "members can insert tasks" on public.tasks',
      'policy "members can update tasks" on public.tasks',
      'policy "members can delete tasks" on public.tasks',
    ]);
  });

  it("fires before every insert and update of a row, after its function exists", () => {
    const guard = named("trigger tasks_guard_references on public.tasks");
    expect(guard?.definition).toBe(
      "create trigger tasks_guard_references before insert or update on public.tasks\n" +
        "  for each row execute function orgstack.trigger_guard_references();",
    );
    expect(guard?.requires.map(formatIdentity)).toEqual([
      "function orgstack.trigger_guard_references()",
    ]);
  });

  it("creates every policy after the guard, so destroy drops the policies first", () => {
    for (const command of ["select", "insert", "update", "delete"]) {
      const policy = named(`policy "members can ${command} tasks" on public.tasks`);
      expect(policy?.requires.map(formatIdentity)).toContain(
        "trigger tasks_guard_references on public.tasks",
      );
    }
  });

  it("is on every access profile: there is no opt-out", () => {
    const profiles = [
      { table: "a", access: "members-read/admins-write" },
      { table: "b", access: "members-write" },
      { table: "c", access: "owner-rows", ownerColumn: "owner_id" },
      { table: "d", access: "read-only", timestamps: false, audit: false },
      {
        table: "e",
        access: "custom",
        policies: { select: "true", insert: "true", update: "true", delete: "true" },
      },
    ] as const;
    const guards = profiles.map((spec) =>
      planTenantTable(spec, "test")
        .map((o) => formatIdentity(o.identity))
        .filter((identity) => identity.includes("_guard_references")),
    );
    expect(guards).toEqual([
      ["trigger a_guard_references on public.a"],
      ["trigger b_guard_references on public.b"],
      ["trigger c_guard_references on public.c"],
      ["trigger d_guard_references on public.d"],
      ["trigger e_guard_references on public.e"],
    ]);
  });
});
