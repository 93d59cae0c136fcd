import { validateStackConfig, type StackConfig } from "../../components/config";
import {
  getLoginRoleKeys,
  getLoginRoleName,
  getOverlongLoginRole,
  MAX_IDENTIFIER_LENGTH,
  type LoginRoleNaming,
} from "../../components/database/naming";
import { planDatabase } from "../../components/database/plan";

const PASSWORD_KEY = "orgstack:databasePassword";

/** A validated config, as the program would load it; the password is a secret where needed. */
function configOf(stack: string, database: Record<string, unknown>): StackConfig {
  const values: Record<string, string> = {
    environment: "ephemeral",
    database: JSON.stringify(database),
  };
  if (database.mode === "container")
    return validateStackConfig({ stack, values, secretKeys: new Set() });
  values.databasePassword = "pw";
  return validateStackConfig({ stack, values, secretKeys: new Set([PASSWORD_KEY]) });
}

function loginRoleNames(config: StackConfig): string[] {
  return planDatabase(config).loginRoles.map((r) => r.name);
}

describe("planDatabase login roles", () => {
  it("keeps plain names in a container, which is the stack's own server", () => {
    expect(loginRoleNames(configOf("local", { mode: "container" }))).toEqual([
      "authenticator",
      "monitor",
      "backup",
    ]);
  });

  it("prefixes every login role with the database name in server mode", () => {
    expect(loginRoleNames(configOf("pr-42", { mode: "server", host: "db" }))).toEqual([
      "app_pr_42_authenticator",
      "app_pr_42_monitor",
      "app_pr_42_backup",
    ]);
  });

  it("prefixes login roles in plain existing mode, so two stacks on one server do not collide", () => {
    const a = configOf("a", { mode: "existing", host: "db", name: "shop" });
    const b = configOf("b", { mode: "existing", host: "db", name: "blog" });
    expect([...loginRoleNames(a), ...loginRoleNames(b)]).toEqual([
      "shop_authenticator",
      "shop_monitor",
      "shop_backup",
      "blog_authenticator",
      "blog_monitor",
      "blog_backup",
    ]);
  });

  it("uses Supabase's own authenticator and prefixes monitor and backup", () => {
    const config = configOf("production", {
      mode: "existing",
      flavor: "supabase",
      host: "db",
      name: "postgres",
    });
    expect(planDatabase(config).loginRoles).toEqual([
      {
        key: "monitor",
        name: "postgres_monitor",
        login: true,
        inherit: true,
        bypassRowLevelSecurity: false,
        memberOf: ["pg_monitor"],
      },
      {
        key: "backup",
        name: "postgres_backup",
        login: true,
        inherit: true,
        bypassRowLevelSecurity: false,
        memberOf: ["pg_read_all_data"],
      },
    ]);
  });

  it("lets only the backup role bypass row-level security, and only on plain Postgres", () => {
    const bypassing = (config: StackConfig) =>
      planDatabase(config)
        .loginRoles.filter((role) => role.bypassRowLevelSecurity)
        .map((role) => role.name);
    expect(bypassing(configOf("pr-42", { mode: "server", host: "db" }))).toEqual([
      "app_pr_42_backup",
    ]);
    expect(bypassing(configOf("local", { mode: "container" }))).toEqual(["backup"]);
    expect(
      bypassing(
        configOf("production", {
          mode: "existing",
          flavor: "supabase",
          host: "db",
          name: "postgres",
        }),
      ),
    ).toEqual([]);
  });

  it("grants the authenticator the platform roles without inheriting them", () => {
    const [authenticator] = planDatabase(configOf("ci", { mode: "server", host: "db" })).loginRoles;
    expect(authenticator).toEqual({
      key: "authenticator",
      name: "app_ci_authenticator",
      login: true,
      inherit: false,
      bypassRowLevelSecurity: false,
      memberOf: ["anon", "authenticated", "service_role"],
    });
  });
});

describe("getOverlongLoginRole", () => {
  const server = (name: string): LoginRoleNaming => ({ mode: "server", flavor: "postgres", name });

  it("names the longest role, its length and the longest database name that fits", () => {
    expect(getOverlongLoginRole(server("d".repeat(50)))).toEqual({
      roleName: `${"d".repeat(50)}_authenticator`,
      bytes: 64,
      maxDatabaseNameBytes: 49,
    });
  });

  it("allows longer database names on Supabase, where the longest role is monitor", () => {
    const naming: LoginRoleNaming = { mode: "existing", flavor: "supabase", name: "" };
    expect(getOverlongLoginRole({ ...naming, name: "s".repeat(55) })).toBeUndefined();
    expect(getOverlongLoginRole({ ...naming, name: "s".repeat(56) })).toEqual({
      roleName: `${"s".repeat(56)}_monitor`,
      bytes: 64,
      maxDatabaseNameBytes: 55,
    });
  });

  it("reports a role exactly when some login role name is over the identifier limit", () => {
    for (const flavor of ["postgres", "supabase"] as const) {
      for (let length = 1; length <= MAX_IDENTIFIER_LENGTH; length++) {
        const naming: LoginRoleNaming = { mode: "existing", flavor, name: "n".repeat(length) };
        const names = getLoginRoleKeys(flavor).map((key) => getLoginRoleName(naming, key));
        expect({ flavor, length, overlong: getOverlongLoginRole(naming) !== undefined }).toEqual({
          flavor,
          length,
          overlong: names.some((n) => Buffer.byteLength(n) > MAX_IDENTIFIER_LENGTH),
        });
      }
    }
  });

  it("never reports a container's roles, which carry no prefix", () => {
    expect(
      getOverlongLoginRole({ mode: "container", flavor: "postgres", name: "c".repeat(63) }),
    ).toBeUndefined();
  });
});

describe("planDatabase container", () => {
  it("checks health over TCP on 127.0.0.1 with the admin user and database, without a shell", () => {
    const config = configOf("local", { mode: "container", adminUser: "admin", name: "shop" });
    expect(planDatabase(config).container).toMatchObject({
      internalPort: 5432,
      healthCheck: [
        "CMD",
        "pg_isready",
        "--host=127.0.0.1",
        "--port=5432",
        "--username=admin",
        "--dbname=shop",
      ],
    });
  });
});
