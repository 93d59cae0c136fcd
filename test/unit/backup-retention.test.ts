import { getArchiveName, parseArchiveName } from "../../components/backup/naming";
import { planRetention, type RetainedArchive } from "../../components/backup/retention";
import { compareSnapshots } from "../../components/backup/snapshot";

/** A nightly archive at 03:00 UTC on each date given, none verified unless listed. */
function nightly(dates: readonly string[], verified: readonly string[] = []): RetainedArchive[] {
  return dates.map((date) => ({
    name: `ci-${date.replace(/-/g, "")}T030000Z.dump`,
    takenAt: new Date(`${date}T03:00:00Z`),
    verified: verified.includes(date),
  }));
}

/** Every date from `from` to `to`, inclusive. */
function days(from: string, to: string): string[] {
  const dates: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d <= new Date(`${to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    dates.push(d.toISOString().slice(0, 10));
  }
  return dates;
}

const name = (date: string) => `ci-${date.replace(/-/g, "")}T030000Z.dump`;

describe("planRetention", () => {
  it("keeps the newest archive of the latest days, ISO weeks and months, and deletes the rest", () => {
    // 2026-01-01 .. 2026-03-31, every night, all verified. Sundays that end ISO weeks:
    // 2026-03-29 (W13), 03-22 (W12). Month ends: 03-31 (newest), 02-28, 01-31.
    const archives = nightly(days("2026-01-01", "2026-03-31"), days("2026-01-01", "2026-03-31"));
    const plan = planRetention(archives, { daily: 3, weekly: 3, monthly: 3 });
    expect(plan.keep).toEqual([
      { name: name("2026-03-31"), reasons: ["daily", "weekly", "monthly"] },
      { name: name("2026-03-30"), reasons: ["daily"] },
      { name: name("2026-03-29"), reasons: ["daily", "weekly"] },
      { name: name("2026-03-22"), reasons: ["weekly"] },
      { name: name("2026-02-28"), reasons: ["monthly"] },
      { name: name("2026-01-31"), reasons: ["monthly"] },
    ]);
    expect(plan.delete).toHaveLength(90 - 6);
    expect(plan.delete).toContain(name("2026-03-28"));
    expect(plan.delete).toContain(name("2026-01-01"));
  });

  it("counts periods that have archives, not calendar windows", () => {
    const archives = nightly(["2026-03-01", "2026-03-10", "2026-03-20"]);
    expect(planRetention(archives, { daily: 2, weekly: 0, monthly: 0 })).toEqual({
      keep: [
        { name: name("2026-03-20"), reasons: ["daily"] },
        { name: name("2026-03-10"), reasons: ["daily"] },
      ],
      delete: [name("2026-03-01")],
    });
  });

  it("keeps the newest of two archives on one day", () => {
    const archives: RetainedArchive[] = [
      {
        name: "ci-20260310T030000Z.dump",
        takenAt: new Date("2026-03-10T03:00:00Z"),
        verified: false,
      },
      {
        name: "ci-20260310T150000Z.dump",
        takenAt: new Date("2026-03-10T15:00:00Z"),
        verified: false,
      },
    ];
    expect(planRetention(archives, { daily: 1, weekly: 0, monthly: 0 })).toEqual({
      keep: [{ name: "ci-20260310T150000Z.dump", reasons: ["daily"] }],
      delete: ["ci-20260310T030000Z.dump"],
    });
  });

  it("never deletes the only verified backup", () => {
    const archives = nightly(days("2026-03-01", "2026-03-10"), ["2026-03-02"]);
    const plan = planRetention(archives, { daily: 3, weekly: 0, monthly: 0 });
    expect(plan.keep).toEqual([
      { name: name("2026-03-10"), reasons: ["daily"] },
      { name: name("2026-03-09"), reasons: ["daily"] },
      { name: name("2026-03-08"), reasons: ["daily"] },
      { name: name("2026-03-02"), reasons: ["only-verified"] },
    ]);
    expect(plan.delete).toEqual(
      ["2026-03-07", "2026-03-06", "2026-03-05", "2026-03-04", "2026-03-03", "2026-03-01"].map(
        name,
      ),
    );
  });

  it("keeps no extra archive when a kept one is verified", () => {
    const archives = nightly(days("2026-03-01", "2026-03-04"), ["2026-03-01", "2026-03-04"]);
    expect(planRetention(archives, { daily: 1, weekly: 0, monthly: 0 }).delete).toEqual(
      ["2026-03-03", "2026-03-02", "2026-03-01"].map(name),
    );
  });

  it("uses ISO weeks: a Sunday closes its week, a Monday opens the next", () => {
    // 2026-01-04 is a Sunday (2026-W01), 2026-01-05 a Monday (W02); 2025-12-29 is in 2026-W01.
    const archives = nightly(["2025-12-29", "2026-01-04", "2026-01-05"]);
    expect(planRetention(archives, { daily: 0, weekly: 2, monthly: 0 }).keep).toEqual([
      { name: name("2026-01-05"), reasons: ["weekly"] },
      { name: name("2026-01-04"), reasons: ["weekly"] },
    ]);
  });
});

describe("archive names", () => {
  it("name an archive by stack and start time, with .enc when encrypted", () => {
    expect(getArchiveName("pr-42", new Date("2026-11-26T16:38:24.512Z"), false)).toBe(
      "pr-42-20261126T163824Z.dump",
    );
    expect(getArchiveName("prod", new Date("2026-01-02T03:04:05Z"), true)).toBe(
      "prod-20260102T030405Z.dump.enc",
    );
  });

  it("parse published names only", () => {
    expect(parseArchiveName("pr-42-20261126T163824Z.dump.enc")).toEqual({
      stack: "pr-42",
      takenAt: new Date("2026-11-26T16:38:24Z"),
      encrypted: true,
    });
    expect(parseArchiveName("pr-42-20261126T163824Z.dump.partial")).toBeUndefined();
    expect(parseArchiveName("notes.txt")).toBeUndefined();
    expect(parseArchiveName("x-20261399T000000Z.dump")).toBeUndefined();
  });
});

describe("compareSnapshots", () => {
  it("names every table that is missing, extra, short of rows or changed", () => {
    const recorded = {
      "public.a": { rows: 2, checksum: "10" },
      "public.b": { rows: 3, checksum: "20" },
      "public.c": { rows: 1, checksum: "30" },
      "public.same": { rows: 0, checksum: "0" },
    };
    const restored = {
      "public.a": { rows: 1, checksum: "5" },
      "public.b": { rows: 3, checksum: "21" },
      "public.d": { rows: 0, checksum: "0" },
      "public.same": { rows: 0, checksum: "0" },
    };
    expect(compareSnapshots(recorded, restored)).toEqual([
      "public.a had 2 rows in the snapshot; 1 were restored.",
      "public.b has 3 rows as recorded, but their content checksum differs (20 recorded, 21 restored).",
      "public.c is in the backup's snapshot but missing after the restore.",
      "public.d is in the restored database but not in the backup's snapshot.",
    ]);
  });
});
