/**
 * The Deno unit tests of the runtime's pure parts, run by Jest so `npm test` covers them: the job
 * worker (the Slack body, the environment, redaction, the claim loop against an in-memory queue,
 * the child process's permissions) and the ops endpoints (the Prometheus text format and its
 * escaping, HTML escaping of hostile names, the token and cookie checks). Needs Deno, not
 * PostgreSQL. The counts are written by hand: a test file that stops loading shows here.
 */
import { runDeno } from "../../tools/testing/deno";

const SUITES = [
  { folder: "runtime/worker/tests/", passed: 16 },
  { folder: "runtime/ops/tests/", passed: 16 },
];

describe("Deno unit tests", () => {
  it.each(SUITES)("pass in $folder", ({ folder, passed }) => {
    const result = runDeno(["test", "--no-prompt", "--config", "runtime/deno.json", folder]);
    if (result.status !== 0) throw new Error(`deno test failed:\n${result.output}`);
    expect(result.output).toMatch(new RegExp(`ok \\| ${passed} passed \\| 0 failed`));
  });
});
