import { getDueJobs, runAgent, type AgentJob } from "../../components/backup/agent";
import { parseCron, type CronSchedule } from "../../components/lib/cron";
import { parseAgentArgs } from "../../scripts/backup-agent";

const cron = (expression: string) => parseCron(expression) as CronSchedule;
const at = (iso: string) => new Date(iso);

/** A fake clock: sleeping and jobs move time forward, nothing waits. */
function fakeClock(start: string, stopAt: string) {
  let now = at(start).getTime();
  return {
    advance: (ms: number) => (now += ms),
    clock: {
      now: () => new Date(now),
      sleep: async (ms: number) => void (now += ms),
      stopped: () => now >= at(stopAt).getTime(),
    },
  };
}

describe("getDueJobs", () => {
  const nightly: AgentJob = { name: "backup", schedule: cron("0 3 * * *"), run: async () => "" };
  const full: AgentJob = { name: "full", schedule: cron("0 1 * * 0"), run: async () => "" };

  it("finds the jobs due in the minutes after one moment up to another", () => {
    const jobs = [nightly, full];
    expect(getDueJobs(jobs, at("2026-11-26T02:59:30Z"), at("2026-11-26T03:00:00.010Z"))).toEqual([
      nightly,
    ]);
    expect(getDueJobs(jobs, at("2026-11-26T03:00:00.010Z"), at("2026-11-26T03:01:00Z"))).toEqual(
      [],
    );
    // Sunday 2026-11-29: both, each once, across a long window.
    expect(getDueJobs(jobs, at("2026-11-29T00:30:00Z"), at("2026-11-29T04:00:00Z"))).toEqual(jobs);
  });
});

describe("runAgent", () => {
  it("runs a job whose minute passed while a long one ran, once, after it", async () => {
    const { advance, clock } = fakeClock("2026-11-29T00:59:10Z", "2026-11-29T05:00:00Z");
    const ran: string[] = [];
    const job = (name: string, schedule: string, minutes: number): AgentJob => ({
      name,
      schedule: cron(schedule),
      run: async () => {
        ran.push(`${name}@${clock.now().toISOString().slice(11, 16)}`);
        advance(minutes * 60_000);
        return "done";
      },
    });
    const log: string[] = [];
    await runAgent([job("full", "0 1 * * 0", 150), job("backup", "0 3 * * *", 2)], clock, (line) =>
      log.push(line),
    );
    expect(ran).toEqual(["full@01:00", "backup@03:31"]);
    expect(log).toEqual(["full: done", "backup: done"]);
  });

  it("logs a failed job and goes on", async () => {
    const { clock } = fakeClock("2026-11-26T02:59:50Z", "2026-11-26T03:02:00Z");
    const failing: AgentJob = {
      name: "backup",
      schedule: cron("* * * * *"),
      run: async () => {
        throw new Error("pg_dump: connection refused");
      },
    };
    const log: string[] = [];
    await runAgent([failing], clock, (line) => log.push(line));
    expect(log).toEqual([
      "backup failed: pg_dump: connection refused",
      "backup failed: pg_dump: connection refused",
    ]);
  });
});

describe("parseAgentArgs", () => {
  const settings = JSON.stringify({
    stack: "local",
    logical: {
      schedule: "0 3 * * *",
      directory: "/b",
      retention: { daily: 7, weekly: 4, monthly: 6 },
    },
    pitr: { encrypted: true },
  });

  it("lists every problem with the arguments and the environment at once", () => {
    expect(() =>
      parseAgentArgs(["once", "weekly"], { ORGSTACK_BACKUP_AGENT_SETTINGS: settings }),
    ).toThrow(
      [
        "Invalid arguments or environment. Usage: backup-agent run | once <backup|full|diff> | restore --to-time <timestamp> ...",
        "  - 'once' takes one of backup, full, diff; found \"weekly\".",
        "  - ORGSTACK_BACKUP_DATABASE_URL is not set: the container's environment provides it.",
        "  - ORGSTACK_ADMIN_DATABASE_URL is not set: the container's environment provides it.",
        "  - PGBACKREST_REPO1_CIPHER_PASS is not set, and the repository is encrypted.",
      ].join("\n"),
    );
  });

  it("refuses settings that are not the component's JSON", () => {
    expect(() => parseAgentArgs(["run"], { ORGSTACK_BACKUP_AGENT_SETTINGS: "{oops" })).toThrow(
      /ORGSTACK_BACKUP_AGENT_SETTINGS is not the JSON the Backups component writes/,
    );
  });
});
