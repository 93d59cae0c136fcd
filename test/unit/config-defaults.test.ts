import { validateStackConfig } from "../../components/config";
import { raw, server } from "./config-fixtures";

describe("validateStackConfig", () => {
  it("fills in documented defaults for a server stack", () => {
    const config = validateStackConfig(
      raw("pr-42", {
        environment: "ephemeral",
        database: { mode: "server", host: "db" },
        databasePassword: "pw",
      }),
    );
    expect(config).toEqual({
      stack: "pr-42",
      environment: "ephemeral",
      protect: false,
      retention: {
        auditLogDays: 365,
        readNotificationDays: 90,
        cronHistoryDays: 7,
        functionInvocationDays: 30,
      },
      backup: {
        schedule: "0 3 * * *",
        directory: "backups/pr-42",
        retention: { daily: 7, weekly: 4, monthly: 6 },
      },
      monitoring: { alertWebhookUrl: undefined },
      database: {
        mode: "server",
        flavor: "postgres",
        sslmode: "require",
        host: "db",
        port: 5432,
        adminUser: "postgres",
        adminPassword: "pw",
        name: "app_pr_42",
        template: undefined,
        image: undefined,
        pgCron: false,
        platformRoles: "create",
      },
    });
  });

  it("defaults a container stack to localhost, sslmode disable, pg_cron and a generated password", () => {
    const config = validateStackConfig(
      raw(
        "local",
        { environment: "local", database: { mode: "container", publishedPort: 54322 } },
        [],
      ),
    );
    expect(config.database).toMatchObject({
      host: "localhost",
      port: 54322,
      sslmode: "disable",
      name: "app",
      pgCron: true,
      adminPassword: undefined,
    });
  });

  it("protects production by default and uses Supabase's platform roles", () => {
    const config = validateStackConfig(
      raw("production", {
        environment: "production",
        database: { mode: "existing", flavor: "supabase", host: "db", name: "postgres" },
        databasePassword: "pw",
      }),
    );
    expect(config.protect).toBe(true);
    expect(config.database.platformRoles).toBe("existing");
  });

  it("fills in the defaults of mode existing: database postgres, sslmode require, no pg_cron", () => {
    const config = validateStackConfig(
      raw("staging", {
        environment: "staging",
        database: { mode: "existing", host: "rds.internal" },
        databasePassword: "pw",
      }),
    );
    expect(config.database).toEqual({
      mode: "existing",
      flavor: "postgres",
      sslmode: "require",
      host: "rds.internal",
      port: 5432,
      adminUser: "postgres",
      adminPassword: "pw",
      name: "postgres",
      pgCron: false,
      platformRoles: "create",
    });
  });

  it("keeps a secret password that looks like a number, boolean or JSON a plain string", () => {
    for (const password of ["123456", "true", "null", '{"a":1}', "[1,2]", "1e3"]) {
      const config = validateStackConfig(
        raw("ci", { environment: "ephemeral", database: server, databasePassword: password }),
      );
      expect(config.database.adminPassword).toBe(password);
    }
  });
});
