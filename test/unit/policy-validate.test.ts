import { Secret } from "@pulumi/policy";
import {
  isUnknownValueError,
  UNKNOWN_STRING,
  wrapAsValidationProps,
} from "../../policy/lib/engine-values";
import { validateBackups } from "../../policy/policies/backups-configured";
import { validateMigrationFiles } from "../../policy/policies/destructive-migrations";
import { validateRolePrivileges } from "../../policy/policies/login-role-privileges";
import { remediatePlaintextSecrets } from "../../policy/policies/no-plaintext-secrets";
import { validateProductionData } from "../../policy/policies/production-protects-data";
import { validateSslmode } from "../../policy/policies/sslmode";
import { validateTenantTables } from "../../policy/policies/tenant-table-rls";
import { args, remediation, stack } from "./policy-args";

async function violations(
  validate: (a: any, report: (m: string) => void) => unknown,
  a: unknown,
): Promise<string[]> {
  const found: string[] = [];
  await validate(a, (m) => found.push(m));
  return found;
}

/** Calls `fn` and returns the message of the SDK's UnknownValueError it throws. */
async function unknownMessage(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (isUnknownValueError(error)) return error.message;
    throw error;
  }
  throw new Error("Expected an UnknownValueError: the policy passed silently.");
}

const PROVIDER = "pulumi:providers:postgresql";
const REMOTE = { host: "db.example.org", sslmode: "disable" };

describe("sslmode-outside-local", () => {
  it("passes require off the machine and disable on localhost", async () => {
    expect(
      await violations(validateSslmode, args(PROVIDER, "p", { ...REMOTE, sslmode: "require" })),
    ).toEqual([]);
    expect(
      await violations(
        validateSslmode,
        args(PROVIDER, "p", { host: "localhost", sslmode: "disable" }),
      ),
    ).toEqual([]);
  });

  it("fails disable and the 'prefer' default off the machine", async () => {
    const migrations = args("pulumi-nodejs:dynamic/schema:Migrations", "m", {
      connection: { host: "10.0.0.5" },
    });
    expect(await violations(validateSslmode, migrations)).toEqual([
      "'m' ('connection') connects to '10.0.0.5' with sslmode 'prefer'. Outside this machine use " +
        "'require' or stricter (require, verify-ca, verify-full): set 'orgstack:database.sslmode'.",
    ]);
  });

  it("cannot decide a weak sslmode while the host is unknown, and says so", async () => {
    const a = args(PROVIDER, "p", { host: UNKNOWN_STRING, sslmode: "disable" });
    expect(await unknownMessage(() => validateSslmode(a, () => undefined))).toBe(
      "string value at .host can't be known during preview",
    );
  });
});

describe("login-role-privileges", () => {
  const role = { name: "app_staging_backup", login: true, bypassRowLevelSecurity: true };
  const provider = (superuser: string) => ({
    type: PROVIDER,
    name: "orgstack-provider",
    urn: "urn:provider",
    props: wrapAsValidationProps({ superuser }),
  });
  const ROLE = "postgresql:index/role:Role";

  it("lets the backup role bypass RLS on plain Postgres only", async () => {
    const plain = args(ROLE, "orgstack-role-backup", role, { provider: provider("true") });
    expect(await violations(validateRolePrivileges, plain)).toEqual([]);
    const supabase = args(ROLE, "orgstack-role-backup", role, { provider: provider("false") });
    expect(await violations(validateRolePrivileges, supabase)).toEqual([
      "Login role 'app_staging_backup' ('orgstack-role-backup') has BYPASSRLS. Only the backup " +
        "role on plain Postgres may (docs/backups.md): set 'bypassRowLevelSecurity: false' and let RLS decide.",
    ]);
  });

  it("fails another login role with BYPASSRLS, and any superuser", async () => {
    const monitor = {
      name: "app_staging_monitor",
      login: true,
      bypassRowLevelSecurity: true,
      superuser: true,
    };
    const a = args(ROLE, "orgstack-role-monitor", monitor, { provider: provider("true") });
    expect(await violations(validateRolePrivileges, a)).toEqual([
      "Role 'app_staging_monitor' ('orgstack-role-monitor') is SUPERUSER. No role the stack creates " +
        "may be: remove 'superuser: true' and grant what it needs instead.",
      "Login role 'app_staging_monitor' ('orgstack-role-monitor') has BYPASSRLS. Only the backup " +
        "role on plain Postgres may (docs/backups.md): set 'bypassRowLevelSecurity: false' and let RLS decide.",
    ]);
  });

  it("lets only service_role bypass RLS among the platform roles", async () => {
    const roles = [
      { name: "service_role", bypassRowLevelSecurity: true },
      { name: "anon", bypassRowLevelSecurity: true },
    ];
    const a = args("pulumi-nodejs:dynamic/database:PlatformRoles", "pr", { roles });
    expect(await violations(validateRolePrivileges, a)).toEqual([
      "Platform role 'anon' ('pr') has BYPASSRLS. Only 'service_role' (NOLOGIN) may: set its " +
        "'bypassRowLevelSecurity' to false.",
    ]);
  });
});

describe("no-plaintext-secrets (a remediation: the only hook that sees Secret)", () => {
  it("passes secrets, and non-secret names such as keyLength", async () => {
    const props = {
      connection: new Secret({ password: "pw" }),
      keyLength: 32,
      envs: new Secret(["A_TOKEN=x"]),
    };
    expect(await remediatePlaintextSecrets(remediation(props))).toBeUndefined();
  });

  it("fails plaintext inputs and environment entries by name", async () => {
    const props = { password: "pw", envs: ["PGHOST=db", "ORGSTACK_JWT_SECRET=abc"] };
    expect(() => remediatePlaintextSecrets(remediation(props))).toThrow(
      "'c' (docker:index/container:Container) receives 'password', 'envs.1 (ORGSTACK_JWT_SECRET)' " +
        "in plaintext. Pass it as a Pulumi secret (pulumi.secret(...), or a config value set with " +
        "'pulumi config set --secret').",
    );
  });

  it("cannot tell an unknown value's secrecy during preview, and says so", async () => {
    const props = { accessToken: UNKNOWN_STRING };
    expect(await unknownMessage(() => remediatePlaintextSecrets(remediation(props)))).toBe(
      "string value at .accessToken can't be known during preview",
    );
  });
});

describe("destructive-migrations", () => {
  const migrations = (sql: string) =>
    args("pulumi-nodejs:dynamic/schema:Migrations", "m", {
      files: [{ track: "app", version: "0002", name: "drop_notes", sql }],
    });
  const DROP = "alter table public.projects drop column notes;\n";

  it("passes a destructive file with its allow header", async () => {
    const sql = `-- orgstack:allow-destructive notes moved to documents\n${DROP}`;
    expect(await violations(validateMigrationFiles, migrations(sql))).toEqual([]);
  });

  it("fails it without the header, and a header without its reason", async () => {
    expect(await violations(validateMigrationFiles, migrations(`select 1;\n${DROP}`))).toEqual([
      "Migrations 'm': 'app/0002_drop_notes.sql' line 2: DROP COLUMN can lose data. If that is " +
        "intended, add '-- orgstack:allow-destructive <reason>' at the top of the file.",
    ]);
    const noReason = await violations(
      validateMigrationFiles,
      migrations(`-- orgstack:allow-destructive\n${DROP}`),
    );
    expect(noReason[0]).toBe(
      "Migrations 'm': 'app/0002_drop_notes.sql' line 1: 'orgstack:allow-destructive' needs a reason, " +
        "e.g. '-- orgstack:allow-destructive drop the unused legacy_events table'.",
    );
  });
});

describe("tenant-table-rls", () => {
  const SQL = "pulumi-nodejs:dynamic/schema:SqlObject";
  const object = (kind: string, definition: string) => ({
    type: SQL,
    name: definition.slice(0, 40),
    parent: "projects",
    props: { identity: { kind }, definition },
  });
  const table = { type: "orgstack:tenancy:TenantTable", name: "projects" };
  const RLS = object("rls", "alter table public.projects enable row level security;");

  it("passes RLS with one 'for all' policy, which covers every command", async () => {
    const all = object(
      "policy",
      "create policy p on public.projects for all to authenticated " +
        "using (organization_id = any (array(select orgstack.current_memberships())));",
    );
    expect(await violations(validateTenantTables, stack("ci", [table, RLS, all]))).toEqual([]);
  });

  it("fails without RLS, and counts a restrictive policy as no grant", async () => {
    const restrictive = object(
      "policy",
      "create policy p on public.projects as restrictive for select using (true);",
    );
    expect(await violations(validateTenantTables, stack("ci", [table, restrictive]))).toEqual([
      "TenantTable 'projects': no SqlObject enables row level security; no permissive policy for " +
        "select, insert, update, delete. Every tenant table enables RLS and decides all four " +
        "commands: give its access profile a policy for each (a 'nobody can' policy with 'false' " +
        "where a command is refused).",
    ]);
  });

  it("cannot decide while a definition is unknown, and says so", async () => {
    const unknown = object("policy", UNKNOWN_STRING);
    const resources = stack("ci", [table, RLS, unknown]);
    expect(await unknownMessage(() => validateTenantTables(resources, () => undefined))).toBe(
      "string value at .definition can't be known during preview",
    );
  });
});

describe("production-protects-data and backups-configured", () => {
  const migrations = { type: "pulumi-nodejs:dynamic/schema:Migrations", name: "m" };

  it("reads the environment from the Backend's output before the stack name", async () => {
    const backend = {
      type: "orgstack:index:Backend",
      name: "b",
      props: { environment: "production" },
    };
    const found = await violations(validateProductionData, stack("eu-main", [backend, migrations]));
    expect(found).toEqual([
      "'m' (pulumi-nodejs:dynamic/schema:Migrations) holds data (the migration history) in " +
        "production but is not protected. Set 'orgstack:protect: true' (production's default) or " +
        "give it 'protect: true' where it is created.",
    ]);
    expect(
      await violations(
        validateProductionData,
        stack("production", [{ ...migrations, protect: true }]),
      ),
    ).toEqual([]);
  });

  it("refuses to guess an environment it cannot tell", async () => {
    expect(await violations(validateBackups, stack("eu-main", [migrations]))).toEqual([
      "Cannot tell the environment of stack 'eu-main': its Backend registers no 'environment' " +
        "output and the name is none of production, staging, local, ci or pr-<n>. Register the " +
        "Backend's 'environment' output or name the stack after its environment.",
    ]);
  });

  it("needs Backups in staging with a schedule, not in a PR stack", async () => {
    const backups = { type: "orgstack:backup:Backups", name: "bk", props: { schedule: "" } };
    expect(await violations(validateBackups, stack("pr-42", [migrations]))).toEqual([]);
    expect(await violations(validateBackups, stack("staging", [backups]))).toEqual([
      "Backups 'bk' has no schedule (found \"\"). Set 'orgstack:backup.schedule' to a cron " +
        "expression (docs/backups.md).",
    ]);
  });
});
