/**
 * Hostile review of the sweeper's plan (issue 14): what it may drop, decided by name and stamp.
 */
import { formatStamp, planSweep } from "../../components/ephemeral";

const NOW = new Date("2026-11-26T12:00:00Z");
const DAY = 86_400_000;
const row = (name: string, updatedAt: Date, isTemplate = false) => ({
  name,
  comment: formatStamp({ stack: name.replace(/^app_pr_/, "pr-"), updatedAt }),
  isTemplate,
});
const old = new Date(NOW.getTime() - 30 * DAY);
const plan = (databases: ReturnType<typeof row>[]) =>
  planSweep({ databases, now: NOW, olderThanMs: 3 * DAY });

describe("the sweeper's plan against look-alike names and stamps", () => {
  it("never considers a name that only looks like a PR database, however old its stamp", () => {
    const names = [
      "app_pr_1_prod",
      "app_pr_x",
      "app_pr_01",
      "app_pr_0",
      "app_pr_1\n",
      " app_pr_1",
      "APP_PR_1",
      "app_pr_١",
      "app_pr_12345678901",
      "app_template_aaaaaaaaaaaa_old",
      "app_template_AAAAAAAAAAAA",
      "app_pr_1; drop database app_prod",
    ];
    expect(plan(names.map((n) => row(n, old)))).toEqual({ drop: [], keep: [] });
  });

  it("drops app_pr_4's own login roles only, never app_pr_42's", () => {
    const { drop } = plan([row("app_pr_4", old), row("app_pr_42", NOW)]);
    expect(drop.map((d) => [d.database, d.roles])).toEqual([
      ["app_pr_4", ["app_pr_4_authenticator", "app_pr_4_monitor", "app_pr_4_backup"]],
    ]);
  });

  it("keeps a database stamped in the future and says the stamp cannot be trusted", () => {
    const future = new Date(NOW.getTime() + 400 * DAY);
    const { drop, keep } = plan([row("app_pr_9", future)]);
    expect(drop).toEqual([]);
    expect(keep).toEqual([
      {
        database: "app_pr_9",
        reason:
          `stamped ${future.toISOString()}, in the future: a clock is wrong or the stamp was ` +
          "written by hand; drop it by hand",
      },
    ]);
  });

  it("still keeps a stamp a few minutes ahead (a runner's clock skew) as within the TTL", () => {
    const skewed = new Date(NOW.getTime() + 5 * 60_000);
    expect(plan([row("app_pr_9", skewed)]).keep[0].reason).toBe(
      `updated ${skewed.toISOString()}, within the TTL`,
    );
  });
});
