import type { RawStackConfig } from "../../components/config";
import { messageOf, PASSWORD_KEY, raw, server } from "./config-fixtures";

describe("validateStackConfig and secrets", () => {
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
