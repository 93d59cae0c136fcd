import { isCronDue, parseCron, type CronSchedule } from "../../components/lib/cron";

function schedule(expression: string): CronSchedule {
  const parsed = parseCron(expression);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
}

const at = (iso: string) => new Date(iso);

describe("parseCron", () => {
  it("expands ranges, lists, steps and names", () => {
    const parsed = schedule("*/20 1-3,5 * jan-feb mon,fri");
    expect([...parsed.minutes]).toEqual([0, 20, 40]);
    expect([...parsed.hours]).toEqual([1, 2, 3, 5]);
    expect([...parsed.months]).toEqual([1, 2]);
    expect([...parsed.weekdays]).toEqual([1, 5]);
  });

  it("reads 7 as Sunday", () => {
    expect([...schedule("0 0 * * 7").weekdays]).toEqual([0]);
  });

  it.each([
    ["0 3 * *", /found 4 fields/],
    ["60 3 * * *", /minute field "60" is not allowed: use 0-59/],
    ["0 3 32 * *", /day-of-month field "32"/],
    ["0 3 * foo *", /month field "foo" is not allowed: use 1-12, or names such as "feb"/],
    ["0 5-3 * * *", /hour field "5-3"/],
    ["*/0 * * * *", /minute field "\*\/0"/],
    ["@daily", /found 1 field$/],
  ])("refuses %j", (expression, message) => {
    expect(parseCron(expression)).toMatch(message);
  });
});

describe("isCronDue", () => {
  it("runs nightly at 03:00 UTC and in no other minute", () => {
    const nightly = schedule("0 3 * * *");
    expect(isCronDue(nightly, at("2026-11-26T03:00:59Z"))).toBe(true);
    expect(isCronDue(nightly, at("2026-11-26T03:01:00Z"))).toBe(false);
    expect(isCronDue(nightly, at("2026-11-26T04:00:00Z"))).toBe(false);
  });

  it("matches both day fields with AND when one is '*', with OR when both are restricted", () => {
    // 2026-11-29 is a Sunday, 2026-11-01 is a Sunday too, 2026-11-15 a Sunday, 2026-11-16 a Monday.
    const sundays = schedule("0 1 * * 0");
    expect(isCronDue(sundays, at("2026-11-29T01:00:00Z"))).toBe(true);
    expect(isCronDue(sundays, at("2026-11-30T01:00:00Z"))).toBe(false);
    const firstOrSunday = schedule("0 1 1 * sun");
    expect(isCronDue(firstOrSunday, at("2026-12-01T01:00:00Z"))).toBe(true);
    expect(isCronDue(firstOrSunday, at("2026-11-15T01:00:00Z"))).toBe(true);
    expect(isCronDue(firstOrSunday, at("2026-11-16T01:00:00Z"))).toBe(false);
  });
});
