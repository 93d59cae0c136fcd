import {
  getStackClientConfig,
  getStackDatabase,
  parseTenantExportArgs,
  parseTenantImportArgs,
} from "../../components/backup/tenant-cli";

const ORG = "0b6f8c4e-1d2a-4c3b-9e8f-7a6b5c4d3e2f";
const EXPORT_USAGE =
  "Usage: npm run tenant:export -- --organization <uuid> (--database-url <url> | --stack <name>) --out <file>";
const IMPORT_USAGE =
  "Usage: npm run tenant:import -- --in <file> (--database-url <url> | --stack <name>) [--new-ids]";

describe("parseTenantExportArgs", () => {
  it("reads the organization, a URL without a password and the output file", () => {
    expect(
      parseTenantExportArgs([
        "--organization",
        ORG,
        "--database-url=postgresql://app@db:5432/app",
        "--out",
        "a.jsonl",
      ]),
    ).toEqual({
      organizationId: ORG,
      target: { kind: "url", url: "postgresql://app@db:5432/app" },
      out: "a.jsonl",
    });
  });

  it("reads a stack instead of a URL", () => {
    expect(
      parseTenantExportArgs(["--organization", ORG, "--stack", "pr-42", "--out", "a.jsonl"]).target,
    ).toEqual({
      kind: "stack",
      stack: "pr-42",
    });
  });

  it("lists every problem at once, then the usage", () => {
    expect(() =>
      parseTenantExportArgs([
        "--organization",
        "Acme",
        "--stack",
        "x",
        "--database-url",
        "postgresql://a@b/c",
        "--verbose",
      ]),
    ).toThrow(
      [
        `Invalid arguments. ${EXPORT_USAGE}`,
        "  - '--verbose' is not a known flag. Flags: --organization, --database-url, --stack, --out.",
        `  - '--organization': expected a lowercase UUID (public.organizations.id); found "Acme".`,
        "  - '--out' is required: the file to write.",
        "  - Give exactly one of '--database-url' and '--stack'.",
      ].join("\n"),
    );
  });

  it("refuses a URL that carries a password, without printing it", () => {
    let message = "";
    try {
      parseTenantExportArgs([
        "--organization",
        ORG,
        "--database-url",
        "postgresql://app:hunter2@db/app",
        "--out",
        "a",
      ]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      `Invalid arguments. ${EXPORT_USAGE}\n` +
        "  - '--database-url' carries a password, which any user can read in the process list. Drop it from the URL and set PGPASSWORD or ~/.pgpass instead.",
    );
  });

  it("refuses a URL of another scheme and a flag without a value", () => {
    expect(() =>
      parseTenantExportArgs(["--organization", ORG, "--database-url", "mysql://a@b/c", "--out"]),
    ).toThrow(
      [
        `Invalid arguments. ${EXPORT_USAGE}`,
        "  - '--out' needs a value.",
        "  - '--out' is required: the file to write.",
        `  - '--database-url': expected a postgresql:// URL; found scheme "mysql:".`,
      ].join("\n"),
    );
  });
});

describe("parseTenantImportArgs", () => {
  it("reads the file, the target and --new-ids", () => {
    expect(parseTenantImportArgs(["--in", "a.jsonl", "--stack", "staging", "--new-ids"])).toEqual({
      in: "a.jsonl",
      target: { kind: "stack", stack: "staging" },
      newIds: true,
    });
    expect(parseTenantImportArgs(["--in", "a.jsonl", "--stack", "staging"]).newIds).toBe(false);
  });

  it("lists every import problem at once: a valued switch, a repeated flag, no target", () => {
    expect(() => parseTenantImportArgs(["--new-ids=yes", "--in", "a", "--in", "b"])).toThrow(
      [
        `Invalid arguments. ${IMPORT_USAGE}`,
        `  - '--new-ids' takes no value; found "yes".`,
        "  - '--in' is given twice.",
        "  - Give exactly one of '--database-url' and '--stack'.",
      ].join("\n"),
    );
  });
});

describe("getStackDatabase", () => {
  it("reads host, port, database and sslmode from the connections output", () => {
    const output = JSON.stringify({
      backup: {
        host: "db.internal",
        port: 6543,
        database: "app_pr_42",
        user: "x",
        password: "p",
        sslmode: "verify-full",
      },
    });
    const database = getStackDatabase("pr-42", output);
    expect(database).toEqual({
      host: "db.internal",
      port: 6543,
      database: "app_pr_42",
      sslmode: "verify-full",
    });
    expect(getStackClientConfig(database, "postgres", "t")).toEqual({
      host: "db.internal",
      port: 6543,
      database: "app_pr_42",
      user: "postgres",
      ssl: { rejectUnauthorized: true },
      application_name: "t",
    });
  });

  it("says what to do when the stack has no connections", () => {
    expect(() => getStackDatabase("pr-42", "{}")).toThrow(
      "Stack 'pr-42' has no usable 'connections' output (host and database per login role). Run 'npm run up' for it first, or pass --database-url.",
    );
  });
});
