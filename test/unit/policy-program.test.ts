import { evaluatePack, type RecordedResource } from "../../policy/lib/evaluate";
import { listStacks, readStackFile, runProgram } from "../../tools/engine/program";
import { getStackSecrets, named } from "../support/program-runs";
import { recordingMocks } from "../support/recording-mocks";
import { useStackRuns } from "./program-fixtures";

/** A copy of one recorded resource with some fields replaced. */
function change(
  resources: readonly RecordedResource[],
  name: string,
  patch: (r: RecordedResource) => Partial<RecordedResource>,
): RecordedResource[] {
  return resources.map((r) => (r.name === name ? { ...r, ...patch(r) } : r));
}

describe("the policy pack on every stack file's resources", () => {
  const runs = useStackRuns(listStacks());

  it.each(listStacks())("passes %s", async (stack) => {
    expect(await evaluatePack(runs[stack].resources)).toEqual([]);
  });

  it("fails production with an unprotected migration history", async () => {
    const resources = change(runs.production.resources, "orgstack-migrations", () => ({
      protect: false,
    }));
    expect(await evaluatePack(resources)).toEqual([
      {
        policy: "production-protects-data",
        level: "mandatory",
        message:
          "'orgstack-migrations' (pulumi-nodejs:dynamic/schema:Migrations) holds data (the " +
          "migration history) in production but is not protected. Set 'orgstack:protect: true' " +
          "(production's default) or give it 'protect: true' where it is created.",
        urn: named(runs.production, "orgstack-migrations").urn,
      },
    ]);
  });

  it("fails staging without its Backups component", async () => {
    const resources = runs.staging.resources.filter((r) => r.type !== "orgstack:backup:Backups");
    expect(await evaluatePack(resources)).toEqual([
      {
        policy: "backups-configured",
        level: "mandatory",
        message:
          "The staging stack has no orgstack:backup:Backups component. Deploy it with the " +
          "Backend component, which creates one from 'orgstack:backup' (docs/backups.md).",
      },
    ]);
  });

  it("fails a TenantTable without a delete policy", async () => {
    const deletePolicy = 'policy "owners and admins can delete projects" on public.projects';
    const resources = runs.ci.resources.filter((r) => r.name !== deletePolicy);
    expect(await evaluatePack(resources)).toEqual([
      {
        policy: "tenant-table-rls",
        level: "mandatory",
        message:
          "TenantTable 'projects': no permissive policy for delete. Every tenant table enables " +
          "RLS and decides all four commands: give its access profile a policy for each (a " +
          "'nobody can' policy with 'false' where a command is refused).",
        urn: named(runs.ci, "projects").urn,
      },
    ]);
  });

  it("fails a login role with superuser", async () => {
    const resources = change(runs.staging.resources, "orgstack-role-monitor", (r) => ({
      inputs: { ...r.inputs, superuser: true },
    }));
    expect((await evaluatePack(resources)).map((r) => r.message)).toEqual([
      "Role 'app_staging_monitor' ('orgstack-role-monitor') is SUPERUSER. No role the stack " +
        "creates may be: remove 'superuser: true' and grant what it needs instead.",
    ]);
  });

  it("fails a login role's password passed in plaintext", async () => {
    const resources = change(runs.local.resources, "orgstack-role-authenticator", () => ({
      secretInputs: [],
    }));
    expect((await evaluatePack(resources)).map((r) => [r.policy, r.message])).toEqual([
      [
        "no-plaintext-secrets",
        "'orgstack-role-authenticator' (postgresql:index/role:Role) receives 'password' in " +
          "plaintext. Pass it as a Pulumi secret (pulumi.secret(...), or a config value set " +
          "with 'pulumi config set --secret').",
      ],
    ]);
  });

  it("fails a migration dropping a column without the allow header", async () => {
    const resources = change(runs.ci.resources, "orgstack-migrations", (r) => ({
      inputs: {
        ...r.inputs,
        files: [
          ...(r.inputs.files as object[]),
          {
            track: "app",
            version: "0900",
            name: "drop_project_notes",
            sql: "-- Notes moved to documents.\nalter table public.projects drop column notes;\n",
          },
        ],
      },
    }));
    expect((await evaluatePack(resources)).map((r) => r.message)).toEqual([
      "Migrations 'orgstack-migrations': 'app/0900_drop_project_notes.sql' line 2: DROP COLUMN " +
        "can lose data. If that is intended, add '-- orgstack:allow-destructive <reason>' at " +
        "the top of the file.",
    ]);
  });

  it("fails a server stack on another host with sslmode disable", async () => {
    const file = readStackFile("staging");
    const database = file["orgstack:database"] as Record<string, unknown>;
    const run = await runProgram({
      stack: "staging",
      config: { ...file, "orgstack:database": { ...database, sslmode: "disable" } },
      secrets: getStackSecrets("staging"),
      newResource: recordingMocks,
    });
    const found = (await evaluatePack(run.resources)).map((r) => r.message).sort();
    const advice =
      "Outside this machine use 'require' or stricter (require, verify-ca, verify-full): set 'orgstack:database.sslmode'.";
    expect(found).toEqual([
      `'orgstack-migrations' ('connection') connects to 'staging-db.internal' with sslmode 'disable'. ${advice}`,
      `'orgstack-platform-roles' ('connection') connects to 'staging-db.internal' with sslmode 'disable'. ${advice}`,
      `Provider 'orgstack-provider' connects to 'staging-db.internal' with sslmode 'disable'. ${advice}`,
      `Provider 'orgstack-server-provider' connects to 'staging-db.internal' with sslmode 'disable'. ${advice}`,
    ]);
  });
});
