/**
 * The runtime's own unit tests (runtime/tests, pure modules under Deno) and its type check, run
 * by Jest so `npm test` covers them. They need Deno, which is why they sit with the integration
 * layer rather than test/unit.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { DENO } from "../../tools/testing/edge-runtime";

const RUNTIME_DIR = path.join(__dirname, "../../runtime");

function runDeno(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(DENO, args, {
    cwd: RUNTIME_DIR,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("edge runtime under Deno", () => {
  it("passes deno check for the gateway and the function host", () => {
    const result = runDeno(["check", "main.ts", "function-host.ts"]);
    expect(result).toEqual({ status: 0, output: expect.any(String) });
  });

  it("passes its unit tests", () => {
    const result = runDeno(["test", "--no-prompt", "tests/"]);
    if (result.status !== 0) throw new Error(`deno test failed:\n${result.output}`);
    expect(result.output).toMatch(/ok \| \d+ passed \| 0 failed/);
  });
});
