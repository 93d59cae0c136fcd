import { ConfigError, validateStackConfig, type RawStackConfig } from "../../components/config";

const PASSWORD_KEY = "orgstack:databasePassword";

function raw(
  stack: string,
  values: Record<string, unknown>,
  secretKeys: string[] = [PASSWORD_KEY],
): RawStackConfig {
  const encoded: Record<string, string> = {};
  for (const [k, v] of Object.entries(values))
    encoded[k] = typeof v === "string" ? v : JSON.stringify(v);
  return { stack, values: encoded, secretKeys: new Set(secretKeys) };
}

function messageOf(input: RawStackConfig): string {
  try {
    validateStackConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("Expected the configuration to be refused.");
}

const server = { mode: "server", host: "db.internal", sslmode: "disable" };

describe("validateStackConfig", () => {
  it("fills in documented defaults for a server stack", () => {
    const config = validateStackConfig(
      raw("pr-42", {
        environment: "ephemeral",
        database: { mode: "server", host: "db" },
        databasePassword: "pw",
      }),
    );
    expect({ ...config, database: { ...config.database, adminPassword: undefined } }).toEqual({
      stack: "pr-42",
      environment: "ephemeral",
      protect: false,
      retention: { auditLogDays: 365, readNotificationDays: 90, cronHistoryDays: 7 },
      database: {
        mode: "server",
        flavor: "postgres",
        sslmode: "require",
        host: "db",
        port: 5432,
        adminUser: "postgres",
        adminPassword: undefined,
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
          "  - 'orgstack:database.password' is not a known key. Allowed keys: mode, flavor, sslmode, host, port, adminUser, name, template, image, publishedPort, pgCron, platformRoles.",
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
          "  - 'orgstack:protekt' is not a known key. Allowed keys: environment, protect, database, databasePassword, retention.",
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
          "  - 'orgstack:retention.notificationDays' is not a known key. Allowed keys: auditLogDays, readNotificationDays, cronHistoryDays.",
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

describe("validateStackConfig and secrets", () => {
  async function valueOf(output: unknown): Promise<unknown> {
    return (output as { promise(): Promise<unknown> }).promise();
  }

  it("keeps a secret password that looks like a number, boolean or JSON a string", async () => {
    for (const password of ["123456", "true", "null", '{"a":1}', "[1,2]", "1e3"]) {
      const config = validateStackConfig(
        raw("ci", { environment: "ephemeral", database: server, databasePassword: password }),
      );
      expect(await valueOf(config.database.adminPassword)).toBe(password);
    }
  });

  it("refuses a plaintext all-digit password without printing it", () => {
    const input = raw(
      "staging",
      { environment: "staging", database: server, databasePassword: "987654" },
      [],
    );
    expect(messageOf(input)).toBe(
      [
        "Invalid configuration for stack 'staging' (stacks/Pulumi.staging.yaml):",
        "  - 'orgstack:databasePassword' holds a credential in plaintext. Set it with: pulumi config set --secret orgstack:databasePassword <value> --stack staging",
      ].join("\n"),
    );
  });

  it("shows no value of a secret database object, only its key paths", () => {
    const input = raw(
      "ci",
      {
        environment: "ephemeral",
        database: { mode: "cloud-s3cret", port: "5432-s3cret", password: "pw-s3cret" },
        databasePassword: "pw",
      },
      [PASSWORD_KEY, "orgstack:database"],
    );
    expect(messageOf(input)).toBe(
      [
        "Invalid configuration for stack 'ci' (stacks/Pulumi.ci.yaml):",
        `  - 'orgstack:database.mode': expected one of "container", "server", "existing"; found a secret value (not shown).`,
        "  - 'orgstack:database.port': expected a number; found a secret value (not shown).",
        "  - 'orgstack:database.password' is not a known key. Allowed keys: mode, flavor, sslmode, host, port, adminUser, name, template, image, publishedPort, pgCron, platformRoles.",
      ].join("\n"),
    );
  });

  /** Bad inputs, each with the secret values it holds. */
  const SECRET_CASES: Array<[string, RawStackConfig, string[]]> = [
    [
      "a secret password in container mode",
      raw("local", {
        environment: "local",
        database: { mode: "container" },
        databasePassword: "424242",
      }),
      ["424242"],
    ],
    [
      "an all-zero secret password and a secret environment next to other problems",
      raw(
        "ci",
        { environment: "prod-s3cret-env", database: { mode: "server" }, databasePassword: "0000" },
        [PASSWORD_KEY, "orgstack:environment"],
      ),
      ["0000", "prod-s3cret-env"],
    ],
    [
      "a secret under an unknown key",
      raw(
        "ci",
        { environment: "ephemeral", database: server, databasePassword: "pw", dbPassword: "31337" },
        [PASSWORD_KEY, "orgstack:dbPassword"],
      ),
      ["31337"],
    ],
    [
      "a secret database object with a bad name, template and mode-only key",
      raw(
        "ci",
        {
          environment: "ephemeral",
          database: {
            mode: "server",
            host: "h0st-s3cret",
            name: "Bad-S3cret",
            template: "T-s3cret",
            image: "img-s3cret",
          },
          databasePassword: "pw",
        },
        [PASSWORD_KEY, "orgstack:database"],
      ),
      ["h0st-s3cret", "Bad-S3cret", "T-s3cret", "img-s3cret"],
    ],
    [
      "a secret database object whose login role would be too long",
      raw(
        "ci",
        {
          environment: "ephemeral",
          database: { mode: "server", host: "db", name: "n".repeat(50) },
          databasePassword: "pw",
        },
        [PASSWORD_KEY, "orgstack:database"],
      ),
      ["n".repeat(50)],
    ],
    [
      "a secret retention object with a bad value",
      raw(
        "local",
        {
          environment: "local",
          database: { mode: "container" },
          retention: { auditLogDays: 123456789 },
        },
        ["orgstack:retention"],
      ),
      ["123456789"],
    ],
  ];

  it.each(SECRET_CASES)("never prints a secret's value: %s", (_, input, secrets) => {
    const message = messageOf(input);
    for (const secret of secrets)
      expect({ secret, shown: message.includes(secret) }).toEqual({ secret, shown: false });
  });
});
