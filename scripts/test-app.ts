/**
 * orgstack-test [program-dir]: proves a program on orgstack the way `npm test` proves the
 * examples. It deploys the program's ci stack through the engine harness on a throwaway
 * PostgreSQL 15 cluster (or ORGSTACK_TEST_DATABASE_URL's server), after type-checking it with
 * its own TypeScript (a type error stops it before anything is deployed), runs its pgTAP suites
 * (test/NN-<topic>.sql) as the library's personas, runs the security gates, checks a second up
 * changes nothing and that destroy leaves nothing. Exit 1 when any part fails, 2 on bad input.
 */
import * as fs from "fs";
import * as path from "path";
import { formatAppTestReport, testApp } from "../tools/testing/app-test";
import { TEST_DATABASE_URL_ENV, withTestServer } from "../tools/testing/cluster";
import { checkProgramTypes } from "../tools/testing/program-types";

/** What a program folder must hold to be tested; every missing part is named. */
export function getProgramDirProblems(programDir: string): string[] {
  const required = ["index.ts", "Pulumi.yaml", path.join("stacks", "Pulumi.ci.yaml")];
  return required
    .filter((entry) => !fs.existsSync(path.join(programDir, entry)))
    .map((entry) => `${path.join(programDir, entry)} is missing: a program needs it to be tested.`);
}

export async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length > 1 || args.some((a) => a.startsWith("-"))) {
    console.error(`Usage: orgstack-test [program-dir]. Got ${JSON.stringify(args)}.`);
    return 2;
  }
  const programDir = path.resolve(args[0] ?? ".");
  const problems = getProgramDirProblems(programDir);
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    return 2;
  }
  const types = await checkProgramTypes(programDir);
  if (!types.passed) {
    console.log(["FAIL type check (tsc --noEmit):", ...types.diagnostics].join("\n       "));
    console.log("orgstack-test: FAILED");
    return 1;
  }
  console.log(`ok   type check (tsc --noEmit): ${types.seconds.toFixed(1)} s`);
  const serverUrl = process.env[TEST_DATABASE_URL_ENV];
  const run = (url: string) => testApp({ programDir, serverUrl: url });
  const report = serverUrl ? await run(serverUrl) : await withTestServer(run);
  const { text, passed } = formatAppTestReport(report);
  console.log(text);
  console.log(passed ? "orgstack-test: passed" : "orgstack-test: FAILED");
  return passed ? 0 : 1;
}
