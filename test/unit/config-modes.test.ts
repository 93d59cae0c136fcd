import { messageOf, PASSWORD_KEY, raw } from "./config-fixtures";

const HEADING = "Invalid configuration for stack 'ci' (stacks/Pulumi.ci.yaml):";

describe("validateStackConfig with database modes", () => {
  it("refuses each key of another mode, naming the mode that has it", () => {
    const input = raw("ci", {
      environment: "ephemeral",
      database: { mode: "server", host: "db", image: "pg:15", publishedPort: 5433 },
      databasePassword: "pw",
    });
    expect(messageOf(input)).toBe(
      [
        HEADING,
        `  - 'orgstack:database.image' is only allowed with mode "container"; this stack uses mode "server".`,
        `  - 'orgstack:database.publishedPort' is only allowed with mode "container"; this stack uses mode "server".`,
      ].join("\n"),
    );
  });

  it("refuses a template outside server mode", () => {
    const input = raw("ci", {
      environment: "ephemeral",
      database: { mode: "existing", host: "db", template: "base" },
      databasePassword: "pw",
    });
    expect(messageOf(input)).toBe(
      [
        HEADING,
        `  - 'orgstack:database.template' is only allowed with mode "server"; this stack uses mode "existing".`,
      ].join("\n"),
    );
  });

  it("refuses port in container mode and names publishedPort instead", () => {
    const input = raw(
      "ci",
      { environment: "local", database: { mode: "container", port: 5433 } },
      [],
    );
    expect(messageOf(input)).toBe(
      [
        HEADING,
        `  - 'orgstack:database.port' is not allowed with mode "container": the container is reached on localhost at 'orgstack:database.publishedPort'.`,
      ].join("\n"),
    );
  });

  it("lists the keys of the stack's mode for a key no mode has", () => {
    const input = raw("ci", {
      environment: "ephemeral",
      database: { mode: "existing", host: "db", hostname: "db" },
      databasePassword: "pw",
    });
    expect(messageOf(input)).toBe(
      [
        HEADING,
        `  - 'orgstack:database.hostname' is not a known key. Allowed keys with mode "existing": mode, flavor, sslmode, host, port, adminUser, name, pgCron, platformRoles.`,
      ].join("\n"),
    );
  });

  it("reports keys of another mode together with the rules across keys", () => {
    const input = raw("ci", {
      environment: "ephemeral",
      database: { mode: "server", image: "pg:15", name: "Bad" },
    });
    expect(messageOf(input)).toBe(
      [
        HEADING,
        `  - 'orgstack:database.image' is only allowed with mode "container"; this stack uses mode "server".`,
        `  - 'orgstack:database.host' is required with mode "server"; found nothing.`,
        `  - 'orgstack:databasePassword' is required with mode "server"; found nothing. Set it with: pulumi config set --secret orgstack:databasePassword <password> --stack ci`,
        `  - 'orgstack:database.name': "Bad" is not a plain PostgreSQL identifier. Use lowercase letters, digits and '_', starting with a letter or '_'.`,
      ].join("\n"),
    );
  });

  it("checks the other keys against every mode's keys when the mode is unknown", () => {
    const input = raw("ci", {
      environment: "ephemeral",
      database: { mode: "cloud", image: 3, publishedPort: 0, region: "eu" },
      databasePassword: "pw",
    });
    expect(messageOf(input)).toBe(
      [
        HEADING,
        `  - 'orgstack:database.mode': expected one of "container", "server", "existing"; found "cloud".`,
        "  - 'orgstack:database.image': expected a string; found 3.",
        "  - 'orgstack:database.publishedPort': expected a number of at least 1; found 0.",
        "  - 'orgstack:database.region' is not a known key. Allowed keys: mode, flavor, sslmode, host, port, adminUser, name, template, image, publishedPort, pgCron, platformRoles.",
      ].join("\n"),
    );
  });

  it("hides the mode of a secret database object where it lists the mode's keys", () => {
    const input = raw(
      "ci",
      {
        environment: "ephemeral",
        database: { mode: "server", host: "db", hostname: "db" },
        databasePassword: "pw",
      },
      [PASSWORD_KEY, "orgstack:database"],
    );
    expect(messageOf(input)).toBe(
      [
        HEADING,
        "  - 'orgstack:database.hostname' is not a known key. Allowed keys with mode a secret value (not shown): mode, flavor, sslmode, host, port, adminUser, name, template, pgCron, platformRoles.",
      ].join("\n"),
    );
  });
});
