/**
 * Hostile review of the policy pack (issue 14): inputs dressed to slip past a policy. Each case
 * passed the pack before its fix.
 */
import { Secret, type ResourceValidationArgs } from "@pulumi/policy";
import { validateRolePrivileges } from "../../policy/policies/login-role-privileges";
import { remediatePlaintextSecrets } from "../../policy/policies/no-plaintext-secrets";
import { validateTenantTables } from "../../policy/policies/tenant-table-rls";
import { args, remediation, stack } from "./policy-args";

const ROLE = "postgresql:index/role:Role";
const GRANT_ROLE = "postgresql:index/grantRole:GrantRole";

function violations(a: ResourceValidationArgs): string[] {
  const found: string[] = [];
  validateRolePrivileges(a, (m) => found.push(m));
  return found;
}

describe("login-role-privileges: BYPASSRLS or SUPERUSER reached through a membership", () => {
  const login = (name: string, roles: string[], inherit = true) => ({
    name,
    login: true,
    inherit,
    bypassRowLevelSecurity: false,
    roles,
  });

  it("fails a login role granted service_role or a superuser role in its 'roles'", () => {
    const reporter = args(ROLE, "orgstack-role-reporter", login("reporter", ["service_role"]));
    expect(violations(reporter)).toEqual([
      "Login role 'reporter' ('orgstack-role-reporter') is a member of 'service_role', which " +
        "bypasses RLS or is superuser-equivalent: it can SET ROLE to it. Only the authenticator " +
        "(NOINHERIT, switching to the request's role) may be: remove 'service_role' from its 'roles'.",
    ]);
    const admin = args(ROLE, "orgstack-role-monitor", login("app_staging_monitor", ["postgres"]));
    expect(violations(admin)).toHaveLength(1);
    expect(violations(admin)[0]).toContain("is a member of 'postgres'");
  });

  it("lets the authenticator (NOINHERIT) switch to service_role, and fails it with INHERIT", () => {
    const roles = ["anon", "authenticated", "service_role"];
    const name = "app_staging_authenticator";
    expect(
      violations(args(ROLE, "orgstack-role-authenticator", login(name, roles, false))),
    ).toEqual([]);
    expect(violations(args(ROLE, "orgstack-role-authenticator", login(name, roles, true)))).toEqual(
      [
        `Login role '${name}' ('orgstack-role-authenticator') is a member of 'service_role', which ` +
          "bypasses RLS or is superuser-equivalent: it can SET ROLE to it. Only the authenticator " +
          "(NOINHERIT, switching to the request's role) may be: remove 'service_role' from its 'roles'.",
      ],
    );
  });

  it("keeps the monitor's pg_monitor and the backup's pg_read_all_data", () => {
    expect(violations(args(ROLE, "orgstack-role-monitor", login("m", ["pg_monitor"])))).toEqual([]);
    expect(
      violations(args(ROLE, "orgstack-role-backup", login("b", ["pg_read_all_data"]))),
    ).toEqual([]);
  });

  it("fails a GrantRole of service_role or a superuser role", () => {
    const grant = args(GRANT_ROLE, "sneaky", { role: "reporter", grantRole: "service_role" });
    expect(violations(grant)).toEqual([
      "GrantRole 'sneaky' grants 'service_role' to 'reporter': 'service_role' bypasses RLS or is " +
        "superuser-equivalent. Only the authenticator may switch to service_role, through its " +
        "own 'roles'; remove the grant.",
    ]);
    expect(violations(args(GRANT_ROLE, "ok", { role: "reporter", grantRole: "anon" }))).toEqual([]);
  });
});

describe("no-plaintext-secrets: secrets under other names", () => {
  it("fails PGPASSWORD, apikey, jwtsecret and dbPass spelled as one word", () => {
    const props = {
      envs: ["PGHOST=db", "PGPASSWORD=hunter2"],
      headers: { apikey: "eyJ", jwtsecret: "s" },
      dbPass: "p",
      pwd: "p",
    };
    expect(() => remediatePlaintextSecrets(remediation(props))).toThrow(
      "'c' (docker:index/container:Container) receives 'envs.1 (PGPASSWORD)', 'headers.apikey', " +
        "'headers.jwtsecret', 'dbPass', 'pwd' in plaintext.",
    );
  });

  it("fails a URL that carries a password, whatever its key is called", () => {
    const props = {
      databaseUrl: "postgres://app:hunter2@db.example.org:5432/app",
      envs: ["DATABASE_URL=postgresql://u:p@h/d"],
    };
    expect(() => remediatePlaintextSecrets(remediation(props))).toThrow(
      "'c' (docker:index/container:Container) receives 'databaseUrl (a URL with a password)', " +
        "'envs.0 (a URL with a password)' in plaintext.",
    );
  });

  it("passes a URL without a password, a secret URL, and names that only look alike", () => {
    const props = {
      databaseUrl: "postgres://app@db.example.org:5432/app",
      webhookUrl: "https://hooks.example.org/services/T000",
      adminUrl: new Secret("postgres://app:hunter2@db/app"),
      passthrough: "yes",
      keyLength: 32,
      tokenizer: "simple",
    };
    expect(remediatePlaintextSecrets(remediation(props))).toBeUndefined();
  });
});

describe("tenant-table-rls: policies for all four commands that let every tenant through", () => {
  const SQL = "pulumi-nodejs:dynamic/schema:SqlObject";
  const table = { type: "orgstack:tenancy:TenantTable", name: "projects", props: {} };
  const object = (kind: string, definition: string) => ({
    type: SQL,
    name: definition.slice(0, 50),
    props: { identity: { kind }, definition },
  });
  const RLS = object("rls", "alter table public.projects enable row level security;");
  const MEMBER = "organization_id = any (array(select orgstack.current_memberships()))";

  async function check(...objects: Array<{ type: string; name: string; props: object }>) {
    const resources = stack("staging", [
      table,
      ...objects.map((o) => ({ ...o, parent: table.name })),
    ]);
    const found: string[] = [];
    await validateTenantTables(resources, (m) => found.push(m));
    return found;
  }

  it("fails 'for all' with using (true), and a with check that reads no column", async () => {
    const open = object(
      "policy",
      "create policy everyone on public.projects for all using (true);",
    );
    expect(await check(RLS, open)).toEqual([
      "TenantTable 'projects': policy \"everyone\" reads no column of the row, so it lets every " +
        "tenant's rows through. Every tenant table enables RLS and decides all four commands: " +
        "give its access profile a policy for each (a 'nobody can' policy with 'false' where a " +
        "command is refused).",
    ]);
    const byRole = object(
      "policy",
      `create policy p on public.projects for all using (${MEMBER}) with check (auth.role() = 'authenticated');`,
    );
    expect((await check(RLS, byRole))[0]).toContain('policy "p" reads no column of the row');
    const cast = object("policy", "create policy q on public.projects for all using ('t'::bool);");
    expect((await check(RLS, cast))[0]).toContain('policy "q" reads no column of the row');
  });

  it("passes member policies and 'nobody can' policies with false", async () => {
    const read = object(
      "policy",
      `create policy r on public.projects for select using (${MEMBER});`,
    );
    const writes = ["insert", "update", "delete"].map((c) =>
      object(
        "policy",
        c === "insert"
          ? `create policy "nobody can ${c}" on public.projects for ${c} with check (false);`
          : `create policy "nobody can ${c}" on public.projects for ${c} using (false);`,
      ),
    );
    expect(await check(RLS, read, ...writes)).toEqual([]);
  });
});
