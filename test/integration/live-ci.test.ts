import * as crypto from "crypto";
import { formatFindings, runGates } from "../../components/gates";
import {
  getClientConfig,
  withClient,
  withDatabase,
  type DatabaseConnection,
} from "../../components/lib/pg";
import { formatIdentity, getSqlObjects, SQL_ROOT } from "../../components/schema";
import { planTenantTable } from "../../components/tenancy";
import { TENANT_TABLES } from "../../tables";
import { withApiRequest } from "../support/api-request";
import { dropPlatformRoles } from "../support/database-layer";
import { LiveHarness } from "../support/live-harness";
import { readStackFile } from "../support/pulumi-program";
import { getServerUrl } from "../support/test-database";

/** The ci stack file, pointed at the test server and a database name of its own. */
function liveCiConfig(serverUrl: string, databaseName: string): Record<string, unknown> {
  const url = new URL(serverUrl);
  const config = readStackFile("ci");
  const database = config["orgstack:database"] as Record<string, unknown>;
  return {
    ...config,
    "orgstack:database": {
      ...database,
      host: url.hostname,
      port: Number(url.port),
      name: databaseName,
    },
  };
}

describe("live: the ci stack", () => {
  const serverUrl = getServerUrl();
  const databaseName = `app_ci_${crypto.randomBytes(3).toString("hex")}`;
  const harness = new LiveHarness(serverUrl);
  const options = {
    stack: "ci",
    config: liveCiConfig(serverUrl, databaseName),
    secrets: { "orgstack:databasePassword": decodeURIComponent(new URL(serverUrl).password) },
  };
  const roleNames = [
    "anon",
    "authenticated",
    "service_role",
    ...["authenticator", "monitor", "backup"].map((r) => `${databaseName}_${r}`),
  ];
  const appUrl = withDatabase(serverUrl, databaseName);
  let connections: Record<string, DatabaseConnection>;
  /** API requests arrive through the stack's own authenticator login role. */
  const viaAuthenticator = () => getClientConfig(connections.authenticator, "orgstack live test");

  beforeAll(async () => {
    await dropPlatformRoles(serverUrl);
  });

  afterAll(async () => {
    // Leave nothing behind even when an assertion failed half-way.
    await harness.destroy().catch(() => undefined);
  });

  it("comes up on an empty server: database, roles, migrations and every SQL object", async () => {
    const { run, changes } = await harness.up(options);
    expect(changes).toEqual([]);
    expect(run.outputs.databaseName).toBe(databaseName);
    connections = run.outputs.connections as Record<string, DatabaseConnection>;

    const history = await withClient(appUrl, (c) =>
      c.query(
        "select track || '/' || version as id from orgstack.schema_migrations order by track desc, version",
      ),
    );
    expect(history.rows.map((r) => r.id)).toEqual([
      "platform/0001",
      "platform/0002",
      "platform/0003",
      "platform/0004",
      "platform/0005",
      "platform/0006",
      "app/0001",
      "app/0002",
    ]);

    const expected = [
      ...getSqlObjects(SQL_ROOT, []),
      ...TENANT_TABLES.flatMap((t) => planTenantTable(t, "")),
    ].map((s) => formatIdentity(s.identity));
    const objects = run.resources
      .filter((r) => r.type === "pulumi-nodejs:dynamic/schema:SqlObject")
      .map((r) => r.name);
    expect(objects.sort()).toEqual([...expected].sort());
    const triggers = await withClient(appUrl, (c) =>
      c.query(
        "select count(*)::int as n from pg_trigger where not tgisinternal and tgname like '%_set_updated_at'",
      ),
    );
    expect(triggers.rows[0].n).toBe(6);
  });

  it("makes a working backend: a new auth user gets a profile, and the authenticator logs in", async () => {
    await withClient(appUrl, (c) =>
      c.query("insert into auth.users (email) values ('ada@example.com')"),
    );
    const profiles = await withClient(appUrl, (c) => c.query("select email from public.profiles"));
    expect(profiles.rows).toEqual([{ email: "ada@example.com" }]);

    expect(connections.authenticator.user).toBe(`${databaseName}_authenticator`);
    const stranger = { userId: crypto.randomUUID(), role: "authenticated" as const };
    const rows = await withApiRequest(
      viaAuthenticator(),
      stranger,
      async (c) =>
        (
          await c.query(
            "select auth.role() as role, count(*)::int as visible from public.organizations",
          )
        ).rows,
    );
    expect(rows).toEqual([{ role: "authenticated", visible: 0 }]);
  });

  it("audits every write on every audited table exactly once, with the right actor", async () => {
    const ada = (
      await withClient(appUrl, (c) =>
        c.query("select id from auth.users where email = 'ada@example.com'"),
      )
    ).rows[0].id;
    const asAda = async (sql: string, values: unknown[] = []) =>
      withApiRequest(
        viaAuthenticator(),
        { userId: ada, email: "ada@example.com", role: "authenticated" },
        async (c) => (await c.query(sql, values)).rows,
      );
    const [{ id: organizationId }] = await asAda(
      "select id from public.create_organization('Analytical Engines', 'engines')",
    );
    await asAda("update public.profiles set full_name = 'Ada Lovelace' where id = $1", [ada]);
    await asAda(
      "insert into public.invitations (organization_id, email, role, invited_by) values ($1, 'charles@example.com', 'member', $2)",
      [organizationId, ada],
    );
    const [{ id: projectId }] = await asAda(
      "insert into public.projects (organization_id, name) values ($1, 'Difference Engine') returning id",
      [organizationId],
    );
    await asAda("update public.projects set name = 'Analytical Engine' where id = $1", [projectId]);
    await asAda("delete from public.projects where id = $1", [projectId]);

    const audit = await withClient(
      appUrl,
      async (c) =>
        (
          await c.query(
            "select table_name, action, record_id, actor_id, actor_role from public.audit_logs order by id",
          )
        ).rows,
    );
    // One row per write, in order, including the writes triggers make on Ada's behalf: her
    // owner membership, and the project counter on the organization (+1, then -1). The
    // profile was created by the platform (the auth service), so no user is its actor.
    expect(
      audit.map((a) => [a.table_name, a.action, a.record_id, a.actor_id, a.actor_role]),
    ).toEqual([
      ["public.profiles", "INSERT", ada, null, "postgres"],
      ["public.organization_members", "INSERT", `${organizationId}/${ada}`, ada, "authenticated"],
      ["public.organizations", "INSERT", organizationId, ada, "authenticated"],
      ["public.profiles", "UPDATE", ada, ada, "authenticated"],
      ["public.invitations", "INSERT", expect.any(String), ada, "authenticated"],
      ["public.organizations", "UPDATE", organizationId, ada, "authenticated"],
      ["public.projects", "INSERT", projectId, ada, "authenticated"],
      ["public.projects", "UPDATE", projectId, ada, "authenticated"],
      ["public.organizations", "UPDATE", organizationId, ada, "authenticated"],
      ["public.projects", "DELETE", projectId, ada, "authenticated"],
    ]);
  });

  it("passes every security gate", async () => {
    const findings = await withClient(appUrl, (client) => runGates(client));
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(formatFindings(findings)).toBe("Security gates: no findings (0 errors, 0 warnings).");
  });

  it("changes nothing on a second up with the same configuration", async () => {
    const { changes } = await harness.up(options);
    expect(changes).toEqual([]);
  });

  it("leaves nothing of the stack behind on destroy", async () => {
    await harness.destroy();
    const { rows } = await withClient(serverUrl, (c) =>
      c.query(
        `select (select count(*)::int from pg_database where datname = $1) as databases,
                (select count(*)::int from pg_roles where rolname = any($2)) as roles`,
        [databaseName, roleNames],
      ),
    );
    expect(rows[0]).toEqual({ databases: 0, roles: 0 });
  });
});
