import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { getTargetTimeMs } from "../../components/backup/pitr-commands";
import {
  getPitrRestorePlan,
  getStanzaFromConf,
  type PitrPlanInput,
} from "../../components/backup/pitr-restore";
import { parsePitrRestoreArgs } from "../../components/backup/pitr-restore-args";

/** A repository with a full (ends 2026-11-01 01:01:00Z) and a diff (ends 2026-11-02 01:00:30Z). */
const INFO = {
  name: "orgstack",
  archive: [{ id: "15-1", max: "000000010000000000000042" }],
  backup: [
    {
      label: "20261101-010002F",
      type: "full",
      timestamp: { start: 1793494802, stop: 1793494860 },
    },
    {
      label: "20261101-010002F_20261102-010002D",
      type: "diff",
      timestamp: { start: 1793581202, stop: 1793581230 },
    },
  ],
};
const EMPTY = { exists: true, entries: 0, running: false };
const input = (over: Partial<PitrPlanInput> = {}): PitrPlanInput => ({
  options: { targetTime: "2026-11-02 09:00:00+00" },
  stanza: "orgstack",
  dataDirectory: "/var/lib/postgresql/data",
  state: EMPTY,
  info: INFO,
  walEndMs: Date.UTC(2026, 10, 3, 12, 0, 0),
  ...over,
});

describe("getTargetTimeMs", () => {
  it("reads the offset forms PostgreSQL takes, and refuses a time without one or no real moment", () => {
    expect(getTargetTimeMs("2026-11-02 09:00:00+00")).toBe(Date.UTC(2026, 10, 2, 9));
    expect(getTargetTimeMs("2026-11-02T10:30:00.250+01:30")).toBe(
      Date.UTC(2026, 10, 2, 9, 0, 0, 250),
    );
    expect(getTargetTimeMs("2026-11-02 04:00:00-0500")).toBe(Date.UTC(2026, 10, 2, 9));
    expect(getTargetTimeMs("2026-11-02 09:00:00Z")).toBe(Date.UTC(2026, 10, 2, 9));
    for (const bad of ["2026-11-02 09:00:00", "2026-02-30 09:00:00+00", "2026-13-01 00:00:00Z"]) {
      expect(getTargetTimeMs(bad)).toBeUndefined();
    }
    expect(getTargetTimeMs("2026-11-02 24:00:00+00")).toBeUndefined();
    expect(getTargetTimeMs("yesterday")).toBeUndefined();
  });
});

describe("getPitrRestorePlan", () => {
  it("picks the newest backup that ended before the target, into an empty directory", () => {
    expect(getPitrRestorePlan(input())).toEqual({
      stanza: "orgstack",
      configPath: "/etc/pgbackrest/pgbackrest.conf",
      dataDirectory: "/var/lib/postgresql/data",
      targetTime: "2026-11-02 09:00:00+00",
      backupLabel: "20261101-010002F_20261102-010002D",
      backupStoppedAt: "2026-11-02T01:00:30.000Z",
      delta: false,
      argv: [
        "pgbackrest",
        "--stanza=orgstack",
        "--pg1-path=/var/lib/postgresql/data",
        "--set=20261101-010002F_20261102-010002D",
        "--type=time",
        "--target=2026-11-02 09:00:00+00",
        "--target-action=promote",
        "restore",
      ],
    });
  });

  it("takes the full when the target falls before the diff ended, and --delta with --force", () => {
    const plan = getPitrRestorePlan(
      input({
        options: { targetTime: "2026-11-02 01:00:10+00", force: true, configPath: "/c/pb.conf" },
        state: { exists: true, entries: 20, running: false },
      }),
    );
    expect([plan.backupLabel, plan.delta]).toEqual(["20261101-010002F", true]);
    expect(plan.argv.slice(0, 6)).toEqual([
      "pgbackrest",
      "--config=/c/pb.conf",
      "--stanza=orgstack",
      "--pg1-path=/var/lib/postgresql/data",
      "--set=20261101-010002F",
      "--delta",
    ]);
  });

  it("lists every problem of the cluster's state and the target at once", () => {
    const bad = input({
      options: { targetTime: "2026-11-01 01:00:30+00", from: "20261030-010002F" },
      state: { exists: true, entries: 3, running: true },
    });
    expect(() => getPitrRestorePlan(bad)).toThrow(
      [
        "Invalid point-in-time restore:",
        "  - '/var/lib/postgresql/data' has a postmaster.pid: PostgreSQL is running on it. Stop it first (container mode: docker stop the database container).",
        "  - '/var/lib/postgresql/data' is not empty (3 entries). Add --force to restore over it with --delta (files that match the backup are kept, the rest replaced).",
        "  - '--to-time' 2026-11-01T01:00:30.000Z is before the oldest backup (20261101-010002F, ended 2026-11-01T01:01:00.000Z): recovery cannot go back further than that.",
        `  - '--from': no backup "20261030-010002F" in stanza 'orgstack'. Use "latest" or one of: 20261101-010002F, 20261101-010002F_20261102-010002D.`,
      ].join("\n"),
    );
  });

  it("refuses a target after the archived WAL, a backup that ended after it, and a bad time", () => {
    const late = input({ options: { targetTime: "2026-11-03 12:00:00+00" } });
    expect(() => getPitrRestorePlan(late)).toThrow(
      "'--to-time' 2026-11-03T12:00:00.000Z is after the end of the archived WAL (newest segment archived 2026-11-03T12:00:00.000Z)",
    );
    const from = "20261101-010002F_20261102-010002D";
    const early = input({ options: { targetTime: "2026-11-01 12:00:00+00", from } });
    expect(() => getPitrRestorePlan(early)).toThrow(
      `'--from' ${from} ended 2026-11-02T01:00:30.000Z, after the target 2026-11-01T12:00:00.000Z`,
    );
    const local = input({ options: { targetTime: "2026-11-02 09:00:00" } });
    expect(() => getPitrRestorePlan(local)).toThrow(
      `'--to-time': "2026-11-02 09:00:00". Use a timestamp with its UTC offset`,
    );
  });
});

describe("getStanzaFromConf", () => {
  it("reads the one stanza and its pg1-path, and refuses a file with none or two", () => {
    const conf = "[global]\nrepo1-path=/repo\n\n[app]\npg1-path=/data\npg1-port=5432\n";
    expect(getStanzaFromConf(conf, "/c")).toEqual({
      stanza: "app",
      configPath: "/c",
      pg1Path: "/data",
    });
    expect(() => getStanzaFromConf("[global]\n[a]\npg1-path=/x\n[b]\n", "/c")).toThrow(
      "'/c' must have exactly one stanza section besides [global], with a pg1-path; found [a], [b].",
    );
  });
});

describe("parsePitrRestoreArgs", () => {
  it("lists every flag problem at once, and ignores --database-url", () => {
    const missing = path.join(os.tmpdir(), "no-such-pgbackrest.conf");
    expect(() =>
      parsePitrRestoreArgs([
        "--to-time",
        "2026-11-02 09:00",
        "--from",
        "yesterday",
        "--pgbackrest-config",
        missing,
        "--to",
        "relative/data",
        "--database-url",
        "postgres://x@y/z",
      ]),
    ).toThrow(
      [
        "  - '--stack' is required: the stack to work on, e.g. --stack pr-42.",
        `  - '--to-time': "2026-11-02 09:00". Use a timestamp with its UTC offset, e.g. "2026-11-26 16:40:01.5+00".`,
        `  - '--from': "yesterday". Use "latest" or a label 'pgbackrest info' lists, e.g. 20261126-010002F.`,
        `  - '--pgbackrest-config': no file '${missing}'.`,
        `  - '--to': "relative/data". Use the data directory's absolute path of letters, digits, '/', '.', '_' and '-'.`,
      ].join("\n"),
    );
  });

  it("returns the options runPitrRestore takes", () => {
    const conf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pitr-cli-")), "pb.conf");
    fs.writeFileSync(conf, "[global]\n[app]\npg1-path=/data\n");
    const argv = ["--stack", "dev", "--to-time=2026-11-02 09:00:00+00", "--force"];
    expect(parsePitrRestoreArgs([...argv, "--pgbackrest-config", conf])).toEqual({
      targetTime: "2026-11-02 09:00:00+00",
      from: undefined,
      configPath: conf,
      dataDirectory: undefined,
      force: true,
    });
    fs.rmSync(path.dirname(conf), { recursive: true });
  });
});
