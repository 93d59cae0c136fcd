/**
 * The worker's pure parts under Deno (runtime/worker/tests: the Slack body, the environment,
 * redaction, the claim loop against an in-memory queue) and its type check. Needs Deno, not
 * PostgreSQL.
 */
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const DENO = path.join(ROOT, "node_modules/.bin/deno");

function runDeno(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(DENO, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("job worker under Deno", () => {
  it("type-checks", () => {
    const result = runDeno(["check", "--config", "runtime/deno.json", "runtime/worker/main.ts"]);
    expect(result).toEqual({ status: 0, output: expect.any(String) });
  });

  it("passes its unit tests", () => {
    const result = runDeno([
      "test",
      "--no-prompt",
      "--config",
      "runtime/deno.json",
      "runtime/worker/tests/",
    ]);
    if (result.status !== 0) throw new Error(`deno test failed:\n${result.output}`);
    expect(result.output).toMatch(/ok \| 15 passed \| 0 failed/);
  });
});
