import * as path from "path";
import { PROJECT_ROOT } from "../../tools/engine/program";
import { formatAppTestReport, testApp } from "../../tools/testing/app-test";
import { getServerUrl } from "../../tools/testing/test-database";

const PROGRAM_DIR = path.join(PROJECT_ROOT, "examples", "e-commerce");

describe("live: examples/e-commerce under orgstack-test", () => {
  it("deploys, passes its pgTAP suites and the gates, re-ups to no steps, destroys to nothing", async () => {
    const report = await testApp({ programDir: PROGRAM_DIR, serverUrl: getServerUrl() });
    console.log(formatAppTestReport(report).text);
    for (const s of report.suites) if (!s.passed) console.log(s.suite, s.failures.join("\n"));
    expect(report.gates).toBe("Security gates: no findings (0 errors, 0 warnings).");
  });
});
