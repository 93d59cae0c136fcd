import { STARTER_DIR } from "../../tools/engine/program";
import { formatAppTestReport, testApp } from "../../tools/testing/app-test";
import { getServerUrl } from "../../tools/testing/test-database";

describe("live: examples/starter under orgstack-test, as its own npm test runs it", () => {
  it("deploys, passes its pgTAP suites and the gates, re-ups to no steps, destroys to nothing", async () => {
    const report = await testApp({ programDir: STARTER_DIR, serverUrl: getServerUrl() });
    expect(report.suites.map((s) => [s.suite, s.failures, s.passed])).toEqual([
      ["test/01-notes.sql", [], true],
    ]);
    expect(report.suites[0].assertions).toBe(12);
    expect(report.gates).toBe("Security gates: no findings (0 errors, 0 warnings).");
    expect(report.drill).toMatchObject({ passed: true, problems: [] });
    const quality = Object.fromEntries(
      report.quality.map((r) => [r.item.title, r.measurement.status]),
    );
    expect(quality["All tables have RLS policies"]).toBe("pass");
    expect(quality["Backup procedures tested"]).toBe("pass");
    expect(report.rerunSteps).toEqual([]);
    expect(report.leftovers).toEqual({ databases: 0, roles: 0 });
    expect(formatAppTestReport(report).passed).toBe(true);
  });
});
