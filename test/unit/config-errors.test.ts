import { messageOf, raw, server } from "./config-fixtures";

describe("validateStackConfig", () => {
  describe("refuses bad configuration", () => {
    it("1: reports a missing environment and database together", () => {
      expect(messageOf(raw("ci", {}))).toBe(
        [
          "Invalid configuration for stack 'ci' (stacks/Pulumi.ci.yaml):",
          `  - 'orgstack:environment': expected one of "local", "ephemeral", "staging", "production"; found nothing.`,
          "  - 'orgstack:database': expected an object; found nothing.",
        ].join("\n"),
      );
    });

    it("2: names an unknown environment and database mode", () => {
      expect(messageOf(raw("ci", { environment: "prod", database: { mode: "cloud" } }))).toBe(
        [
          "Invalid configuration for stack 'ci' (stacks/Pulumi.ci.yaml):",
          `  - 'orgstack:environment': expected one of "local", "ephemeral", "staging", "production"; found "prod".`,
          `  - 'orgstack:database.mode': expected one of "container", "server", "existing"; found "cloud".`,
        ].join("\n"),
      );
    });

    it("3: requires a host and a secret password in server mode", () => {
      expect(messageOf(raw("ci", { environment: "ephemeral", database: { mode: "server" } }))).toBe(
        [
          "Invalid configuration for stack 'ci' (stacks/Pulumi.ci.yaml):",
          `  - 'orgstack:database.host' is required with mode "server"; found nothing.`,
          `  - 'orgstack:databasePassword' is required with mode "server"; found nothing. Set it with: pulumi config set --secret orgstack:databasePassword <password> --stack ci`,
        ].join("\n"),
      );
    });

    it("4: refuses a password that is not a Pulumi secret", () => {
      const input = raw(
        "staging",
        { environment: "staging", database: server, databasePassword: "hunter2" },
        [],
      );
      expect(messageOf(input)).toBe(
        [
          "Invalid configuration for stack 'staging' (stacks/Pulumi.staging.yaml):",
          "  - 'orgstack:databasePassword' holds a credential in plaintext. Set it with: pulumi config set --secret orgstack:databasePassword <value> --stack staging",
        ].join("\n"),
      );
      expect(messageOf(input)).not.toContain("hunter2");
    });

    it("5: refuses a URL with credentials and never prints the password", () => {
      const input = raw("ci", {
        environment: "ephemeral",
        database: { mode: "server", host: "postgres://admin:s3cret@db:5432/app" },
        databasePassword: "pw",
      });
      expect(messageOf(input)).toBe(
        [
          "Invalid configuration for stack 'ci' (stacks/Pulumi.ci.yaml):",
          `  - 'orgstack:database.host' is a URL with a password in plaintext ("postgres://admin:***@db:5432/app"). Give the host alone and put the password in 'orgstack:databasePassword'. Set it with: pulumi config set --secret orgstack:databasePassword <value> --stack ci`,
        ].join("\n"),
      );
      expect(messageOf(input)).not.toContain("s3cret");
    });

    it("6: refuses a password nested in the database object", () => {
      const input = raw("ci", {
        environment: "ephemeral",
        database: { ...server, password: "s3cret" },
        databasePassword: "pw",
      });
      expect(messageOf(input)).toBe(
        [
          "Invalid configuration for stack 'ci' (stacks/Pulumi.ci.yaml):",
          "  - 'orgstack:database.password' holds a credential in plaintext. Remove it and set 'orgstack:databasePassword' instead. Set it with: pulumi config set --secret orgstack:databasePassword <value> --stack ci",
          `  - 'orgstack:database.password' is not a known key. Allowed keys with mode "server": mode, flavor, sslmode, host, port, adminUser, name, template, pgCron, platformRoles.`,
        ].join("\n"),
      );
    });

    it("7: names an out-of-range port and an unknown sslmode", () => {
      const input = raw("ci", {
        environment: "ephemeral",
        database: { ...server, port: 70000, sslmode: "on" },
        databasePassword: "pw",
      });
      expect(messageOf(input)).toBe(
        [
          "Invalid configuration for stack 'ci' (stacks/Pulumi.ci.yaml):",
          `  - 'orgstack:database.sslmode': expected one of "disable", "require", "verify-ca", "verify-full"; found "on".`,
          "  - 'orgstack:database.port': expected a number of at most 65535; found 70000.",
        ].join("\n"),
      );
    });

    it("8: refuses a stack name that derives an over-long database name", () => {
      const stack = `pr-${"x".repeat(60)}`;
      const input = raw(stack, {
        environment: "ephemeral",
        database: server,
        databasePassword: "pw",
      });
      expect(messageOf(input)).toBe(
        [
          `Invalid configuration for stack '${stack}' (stacks/Pulumi.${stack}.yaml):`,
          `  - 'orgstack:database.name' (derived from stack name '${stack}'): "app_pr_${"x".repeat(60)}" is 67 bytes long; PostgreSQL identifiers are at most 63.`,
        ].join("\n"),
      );
    });

    it("9: refuses a database name that is not a plain identifier, and unprotected production", () => {
      const input = raw("production", {
        environment: "production",
        protect: false,
        database: { mode: "existing", host: "db", name: "Bad-Name" },
        databasePassword: "pw",
      });
      expect(messageOf(input)).toBe(
        [
          "Invalid configuration for stack 'production' (stacks/Pulumi.production.yaml):",
          `  - 'orgstack:protect' must not be false with environment "production": production data is always protected.`,
          `  - 'orgstack:database.name': "Bad-Name" is not a plain PostgreSQL identifier. Use lowercase letters, digits and '_', starting with a letter or '_'.`,
        ].join("\n"),
      );
    });

    it("10: names a misspelt top-level key and a wrongly typed value", () => {
      const input = raw(
        "local",
        {
          environment: "local",
          database: { mode: "container", publishedPort: "x" },
          protekt: true,
        },
        [],
      );
      expect(messageOf(input)).toBe(
        [
          "Invalid configuration for stack 'local' (stacks/Pulumi.local.yaml):",
          `  - 'orgstack:database.publishedPort': expected a number; found "x".`,
          "  - 'orgstack:protekt' is not a known key. Allowed keys: environment, protect, database, databasePassword, retention, functions, jwtSecret, supabaseAccessToken, backup, backupEncryptionKey, alertWebhookUrl.",
        ].join("\n"),
      );
    });

    it("11: refuses keys of another mode and Supabase outside existing mode", () => {
      const input = raw(
        "local",
        {
          environment: "local",
          database: { mode: "container", flavor: "supabase", template: "base", host: "db" },
        },
        [],
      );
      expect(messageOf(input)).toBe(
        [
          "Invalid configuration for stack 'local' (stacks/Pulumi.local.yaml):",
          `  - 'orgstack:database.template' is only allowed with mode "server"; this stack uses mode "container".`,
          `  - 'orgstack:database.host' is not allowed with mode "container": the container is reached on localhost.`,
          `  - 'orgstack:database.flavor' "supabase" needs mode "existing" (a Supabase project's database); found mode "container".`,
        ].join("\n"),
      );
    });

    it("12: refuses a database given as a plain string", () => {
      expect(messageOf(raw("local", { environment: "local", database: "container" }, []))).toBe(
        [
          "Invalid configuration for stack 'local' (stacks/Pulumi.local.yaml):",
          `  - 'orgstack:database': expected an object; found "container".`,
        ].join("\n"),
      );
    });

    it("14: refuses creating platform roles on Supabase", () => {
      const input = raw("production", {
        environment: "production",
        database: { mode: "existing", flavor: "supabase", host: "db", platformRoles: "create" },
        databasePassword: "pw",
      });
      expect(messageOf(input)).toBe(
        [
          "Invalid configuration for stack 'production' (stacks/Pulumi.production.yaml):",
          `  - 'orgstack:database.platformRoles' "create" is not possible with flavor "supabase": Supabase owns anon, authenticated and service_role.`,
        ].join("\n"),
      );
    });

    it("15: names a retention period that is not a whole number of days", () => {
      const input = raw(
        "local",
        {
          environment: "local",
          database: { mode: "container" },
          retention: { auditLogDays: 0, notificationDays: 30 },
        },
        [],
      );
      expect(messageOf(input)).toBe(
        [
          "Invalid configuration for stack 'local' (stacks/Pulumi.local.yaml):",
          "  - 'orgstack:retention.auditLogDays': expected a number of at least 1; found 0.",
          "  - 'orgstack:retention.notificationDays' is not a known key. Allowed keys: auditLogDays, readNotificationDays, cronHistoryDays, functionInvocationDays.",
        ].join("\n"),
      );
    });

    it("13: refuses a password in container mode, where the stack generates it", () => {
      const input = raw("local", {
        environment: "local",
        database: { mode: "container" },
        databasePassword: "pw",
      });
      expect(messageOf(input)).toBe(
        [
          "Invalid configuration for stack 'local' (stacks/Pulumi.local.yaml):",
          `  - 'orgstack:databasePassword' is not used with mode "container": the stack generates the password.`,
        ].join("\n"),
      );
    });

    it("16: refuses sslmode allow and prefer, which the postgresql provider cannot connect with", () => {
      const input = raw("ci", {
        environment: "ephemeral",
        database: { ...server, sslmode: "prefer" },
        databasePassword: "pw",
      });
      const allowed = `expected one of "disable", "require", "verify-ca", "verify-full"`;
      const hint = (mode: string) =>
        `The @pulumi/postgresql provider cannot connect with sslmode "${mode}": use "require" for TLS, or "disable" on a trusted network.`;
      expect(messageOf(input)).toBe(
        [
          "Invalid configuration for stack 'ci' (stacks/Pulumi.ci.yaml):",
          `  - 'orgstack:database.sslmode': ${allowed}; found "prefer". ${hint("prefer")}`,
        ].join("\n"),
      );
      const allow = raw("ci", {
        environment: "ephemeral",
        database: { ...server, sslmode: "allow" },
        databasePassword: "pw",
      });
      expect(messageOf(allow)).toBe(
        [
          "Invalid configuration for stack 'ci' (stacks/Pulumi.ci.yaml):",
          `  - 'orgstack:database.sslmode': ${allowed}; found "allow". ${hint("allow")}`,
        ].join("\n"),
      );
    });

    it("17: refuses a database name whose prefixed login role PostgreSQL would truncate", () => {
      const name = "d".repeat(50);
      const input = raw("ci", {
        environment: "ephemeral",
        database: { ...server, mode: "existing", name },
        databasePassword: "pw",
      });
      expect(messageOf(input)).toBe(
        [
          "Invalid configuration for stack 'ci' (stacks/Pulumi.ci.yaml):",
          `  - 'orgstack:database.name': login role "${name}_authenticator" would be 64 bytes long; PostgreSQL identifiers are at most 63. Use a database name of at most 49 bytes.`,
        ].join("\n"),
      );
    });

    it("18: names the stack a too-long login role's database name was derived from", () => {
      const stack = `pr-${"x".repeat(43)}`;
      const input = raw(stack, {
        environment: "ephemeral",
        database: server,
        databasePassword: "pw",
      });
      expect(messageOf(input)).toBe(
        [
          `Invalid configuration for stack '${stack}' (stacks/Pulumi.${stack}.yaml):`,
          `  - 'orgstack:database.name' (derived from stack name '${stack}'): login role "app_pr_${"x".repeat(43)}_authenticator" would be 64 bytes long; PostgreSQL identifiers are at most 63. Shorten the stack name, or set 'orgstack:database.name' to a name of at most 49 bytes.`,
        ].join("\n"),
      );
    });

    it("19: checks Supabase's prefixed monitor role, the longest it creates", () => {
      const name = "s".repeat(56);
      const input = raw("production", {
        environment: "production",
        database: { mode: "existing", flavor: "supabase", host: "db", name },
        databasePassword: "pw",
      });
      expect(messageOf(input)).toBe(
        [
          "Invalid configuration for stack 'production' (stacks/Pulumi.production.yaml):",
          `  - 'orgstack:database.name': login role "${name}_monitor" would be 64 bytes long; PostgreSQL identifiers are at most 63. Use a database name of at most 55 bytes.`,
        ].join("\n"),
      );
    });
  });
});
