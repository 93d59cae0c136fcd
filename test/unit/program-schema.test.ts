import { named, ofType, runStack, T } from "../support/program-runs";
import { listStacks, type ProgramRun } from "../../tools/engine/program";

describe("program under mocks: schema, tenant tables and maintenance", () => {
  const runs: Record<string, ProgramRun> = {};
  beforeAll(async () => {
    for (const stack of listStacks()) runs[stack] = await runStack(stack);
  });

  it("schedules the maintenance jobs with pg_cron, using the default retention", () => {
    const [maintenance] = ofType(runs.local, "orgstack:maintenance:Maintenance");
    const jobs = ofType(runs.local, T.sqlObject).filter((r) => r.parentUrn === maintenance.urn);
    expect(jobs.map((j) => [j.name, j.inputs.definition]).sort()).toEqual([
      [
        "cron_job orgstack-audit-retention",
        "select cron.schedule('orgstack-audit-retention', '17 3 * * *', 'select ops.purge_audit_logs(365)');",
      ],
      [
        "cron_job orgstack-cron-history-prune",
        "select cron.schedule('orgstack-cron-history-prune', '37 3 * * *', 'select ops.purge_cron_history(7)');",
      ],
      [
        "cron_job orgstack-function-ops-purge",
        "select cron.schedule('orgstack-function-ops-purge', '47 3 * * *', 'select ops.purge_function_ops(30)');",
      ],
      [
        "cron_job orgstack-health-evaluator",
        "select cron.schedule('orgstack-health-evaluator', '* * * * *', 'select count(*)::integer from ops.evaluate_alerts()');",
      ],
      [
        "cron_job orgstack-notification-cleanup",
        "select cron.schedule('orgstack-notification-cleanup', '27 3 * * *', 'select ops.purge_read_notifications(90)');",
      ],
      [
        "cron_job orgstack-unlock-stale-jobs",
        "select cron.schedule('orgstack-unlock-stale-jobs', '* * * * *', 'select ops.unlock_stale_jobs()');",
      ],
    ]);
    expect(named(runs.local, "cron_job orgstack-audit-retention").dependencies).toContain(
      named(runs.local, "function ops.purge_audit_logs(integer)").urn,
    );
  });

  it("skips the maintenance jobs where pg_cron is off, and says so in the preview", async () => {
    const [maintenance] = ofType(runs.ci, "orgstack:maintenance:Maintenance");
    expect(ofType(runs.ci, T.sqlObject).filter((r) => r.parentUrn === maintenance.urn)).toEqual([]);
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      await runStack("ci");
      expect(warn.mock.calls.map((args) => String(args[0]))).toContainEqual(
        "warning: [runtime] pg_cron is not enabled in database 'app_ci' ('orgstack:database.pgCron' is false), so the " +
          "maintenance jobs are skipped (select ops.purge_audit_logs(365); select ops.purge_read_notifications(90); " +
          "select ops.purge_cron_history(7); select ops.purge_function_ops(30); select ops.unlock_stale_jobs(); " +
          "select count(*)::integer from ops.evaluate_alerts()). " +
          "Schedule them another way, or enable pg_cron.",
      );
    } finally {
      warn.mockRestore();
    }
  });

  describe("schema", () => {
    it("applies the platform track, then the app track, in version order", () => {
      const migrations = named(runs.ci, "orgstack-migrations");
      const files = migrations.inputs.files as Array<{
        track: string;
        version: string;
        name: string;
      }>;
      expect(
        files.filter((f) => f.track === "platform").map((f) => `${f.version}_${f.name}`),
      ).toEqual([
        "0001_create_private_schemas",
        "0002_create_auth_shim",
        "0003_grant_api_privileges",
        "0004_create_core_tables",
        "0005_restrict_api_columns",
        "0006_add_counters_and_jobs",
        "0007_drop_role_checks",
        "0008_create_function_ops",
        "0009_create_backup_runs",
        "0010_create_alerts",
      ]);
      expect(files.filter((f) => f.track === "app").map((f) => `${f.version}_${f.name}`)).toEqual([
        "0001_create_projects",
        "0002_add_project_count",
      ]);
      expect(files.map((f) => f.track)).toEqual(
        [...files.map((f) => f.track)].sort((a, b) => (a === b ? 0 : a === "platform" ? -1 : 1)),
      );
      expect(migrations.secretInputs).toContain("connection");
    });

    it("leaves the auth shim out on Supabase, which has the real auth schema", () => {
      const files = named(runs.production, "orgstack-migrations").inputs.files as Array<{
        name: string;
      }>;
      expect(files.map((f) => f.name)).not.toContain("create_auth_shim");
    });

    it("migrates only after every role and extension of the database layer exists", () => {
      const migrations = named(runs.ci, "orgstack-migrations");
      const layer = [
        ...ofType(runs.ci, T.role),
        ...ofType(runs.ci, T.platformRoles),
        ...ofType(runs.ci, T.extension),
      ];
      expect(migrations.dependencies).toEqual(expect.arrayContaining(layer.map((r) => r.urn)));
    });

    it("declares one SqlObject per object, named by identity, after the migrations and what it requires", () => {
      const trigger = named(
        runs.ci,
        "trigger organizations_set_updated_at on public.organizations",
      );
      expect(trigger.inputs).toMatchObject({
        identity: {
          kind: "trigger",
          name: "organizations_set_updated_at",
          schema: "public",
          table: "organizations",
        },
        source: "components/tenancy/core-tables.ts",
      });
      expect(trigger.secretInputs).toContain("connection");
      expect(trigger.dependencies).toEqual(
        expect.arrayContaining([
          named(runs.ci, "orgstack-migrations").urn,
          named(runs.ci, "function orgstack.trigger_set_updated_at()").urn,
        ]),
      );
    });
  });

  it("creates write policies after RLS and the guards, so destroy drops them first", () => {
    const urn = (name: string) => named(runs.ci, name).urn;
    const dependsOn = (name: string) => named(runs.ci, name).dependencies;
    expect(dependsOn('policy "owners and admins can update projects" on public.projects')).toEqual(
      expect.arrayContaining([
        urn("rls on public.projects"),
        urn("trigger projects_guard_tenant_row on public.projects"),
      ]),
    );
    expect(
      dependsOn(`policy "admins can update organization_members" on public.organization_members`),
    ).toContain(
      urn("trigger organization_members_guard_member_change on public.organization_members"),
    );
    expect(dependsOn('policy "admins can update organizations" on public.organizations')).toContain(
      urn("trigger organizations_guard on public.organizations"),
    );
  });

  it("declares the projects tenant table's objects under its component, after the helpers they use", () => {
    const [tenantTable] = ofType(runs.ci, "orgstack:tenancy:TenantTable");
    const objects = ofType(runs.ci, T.sqlObject).filter((r) => r.parentUrn === tenantTable.urn);
    expect(objects.map((o) => o.name).sort()).toEqual([
      "index public.projects_organization_id_idx",
      `policy "members can insert projects" on public.projects`,
      `policy "members can select projects" on public.projects`,
      `policy "owners and admins can delete projects" on public.projects`,
      `policy "owners and admins can update projects" on public.projects`,
      "rls on public.projects",
      "trigger projects_count_in_organizations on public.projects",
      "trigger projects_guard_references on public.projects",
      "trigger projects_guard_tenant_row on public.projects",
      "trigger projects_notify_owner_id on public.projects",
      "trigger projects_record_activity on public.projects",
      "trigger projects_record_change on public.projects",
      "trigger projects_set_updated_at on public.projects",
    ]);
    const select = named(runs.ci, `policy "members can select projects" on public.projects`);
    expect(select.dependencies).toEqual(
      expect.arrayContaining([
        named(runs.ci, "view orgstack.current_memberships").urn,
        named(runs.ci, "orgstack-migrations").urn,
      ]),
    );
  });
});
