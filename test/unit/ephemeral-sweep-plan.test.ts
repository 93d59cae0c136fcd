import { formatStamp, parseDuration, parseStamp, planSweep } from "../../components/ephemeral";
import { parseSweepArgs } from "../../scripts/sweep";
import { parseTemplateArgs } from "../../scripts/template";

const NOW = new Date("2026-11-26T12:00:00Z");
const DAY = 86_400_000;
const stamped = (name: string, daysAgo: number, isTemplate = false) => ({
  name,
  comment: formatStamp({ stack: name, updatedAt: new Date(NOW.getTime() - daysAgo * DAY) }),
  isTemplate,
});

describe("planSweep", () => {
  const databases = [
    stamped("app_pr_1", 4),
    stamped("app_pr_2", 2),
    { name: "app_pr_3", comment: null, isTemplate: false },
    { name: "app_pr_4", comment: null, isTemplate: false, lastMigrationAt: new Date("2026-11-01") },
    stamped("app_staging", 100),
    stamped("app_prod_pr_5", 100),
    stamped("app_pr_6_old", 100),
    stamped("app_template_aaaaaaaaaaaa", 9, true),
    stamped("app_template_bbbbbbbbbbbb", 9, true),
    stamped("app_template_cccccccccccc_build", 9),
    stamped("app_template_short", 9, true),
  ];
  const plan = planSweep({
    databases,
    now: NOW,
    olderThanMs: 3 * DAY,
    currentTemplate: "app_template_bbbbbbbbbbbb",
  });

  it("drops stale PR databases with their three login roles, and stale other templates", () => {
    expect(plan.drop.map((d) => [d.database, d.kind, d.roles.join(" ")])).toEqual([
      ["app_pr_1", "ephemeral", "app_pr_1_authenticator app_pr_1_monitor app_pr_1_backup"],
      ["app_pr_4", "ephemeral", "app_pr_4_authenticator app_pr_4_monitor app_pr_4_backup"],
      ["app_template_aaaaaaaaaaaa", "template", ""],
      ["app_template_cccccccccccc_build", "template", ""],
    ]);
  });

  it("keeps fresh, undatable and current ones with a reason, and never lists other databases", () => {
    expect(plan.keep).toEqual([
      { database: "app_pr_2", reason: "updated 2026-11-24T12:00:00.000Z, within the TTL" },
      { database: "app_pr_3", reason: "no stamp and no migration history: drop it by hand" },
      {
        database: "app_template_bbbbbbbbbbbb",
        reason: "the template of the current schema sources",
      },
    ]);
  });
});

describe("stamps and durations", () => {
  it("reads back a stamp and ignores comments that are not stamps", () => {
    const updatedAt = new Date("2026-11-20T08:30:00Z");
    expect(parseStamp(formatStamp({ stack: "pr-42", updatedAt }))).toEqual({
      stack: "pr-42",
      updatedAt,
    });
    expect(parseStamp("the staging database")).toBeUndefined();
    expect(parseStamp('orgstack:ephemeral {"stack":"pr-1","updatedAt":"soon"}')).toBeUndefined();
    expect(parseStamp(null)).toBeUndefined();
  });

  it("parses 3d, 12h, 90m and 2w, and names the flag otherwise", () => {
    expect(["3d", "12h", "90m", "2w"].map((t) => parseDuration("--older-than", t))).toEqual([
      259_200_000, 43_200_000, 5_400_000, 1_209_600_000,
    ]);
    expect(parseDuration("--older-than", "3 days")).toBe(
      `'--older-than': expected a whole number and a unit (m, h, d or w), e.g. 3d; found "3 days".`,
    );
  });
});

describe("CLI flags", () => {
  const env = { PGPASSWORD: "s3cret" };

  it("lists every problem of npm run sweep at once", () => {
    expect(() =>
      parseSweepArgs(["--older-than", "soon", "--database-url", "postgres://u:pw@h/postgres"], env),
    ).toThrow(
      [
        "Invalid arguments. Usage: npm run sweep -- --older-than <3d|12h|90m|2w> [--database-url <server url>] [--dry-run]",
        `  - '--older-than': expected a whole number and a unit (m, h, d or w), e.g. 3d; found "soon".`,
        "  - '--database-url' holds a password, which ps shows to every user: remove it and set PGPASSWORD.",
      ].join("\n"),
    );
  });

  it("takes the password from PGPASSWORD", () => {
    const args = parseSweepArgs(
      ["--older-than=3d", "--database-url", "postgres://postgres@ci-db:5432/postgres", "--dry-run"],
      env,
    );
    expect(args).toEqual({
      url: "postgres://postgres:s3cret@ci-db:5432/postgres",
      olderThanMs: 3 * DAY,
      dryRun: true,
    });
  });

  it("refuses a template command without its PR number, and a bad one", () => {
    const url = ["--database-url", "postgres://postgres@ci-db/postgres"];
    expect(() => parseTemplateArgs(["clone", ...url], env)).toThrow(
      "'--pr' is required with clone: the pull request's number, e.g. --pr 42.",
    );
    expect(() => parseTemplateArgs(["stamp", "--pr", "042", "--seed", ...url], env)).toThrow(
      /'--pr': expected a number from 1 to 9999999999; found "042"\.\n {2}- '--seed' is only used with clone\./,
    );
    expect(parseTemplateArgs(["clone", "--pr", "42", "--seed", ...url], env)).toMatchObject({
      command: "clone",
      pr: 42,
      seed: true,
    });
  });
});
