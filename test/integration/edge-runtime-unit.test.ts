/**
 * The runtime's own unit tests (runtime/tests, pure modules under Deno) and its type check, run
 * by Jest so `npm test` covers them. They need Deno, which is why they sit with the integration
 * layer rather than test/unit.
 */
import * as path from "path";
import { runDeno as runDenoIn } from "../../tools/testing/deno";

const RUNTIME_DIR = path.join(__dirname, "../../runtime");
const runDeno = (args: string[]) => runDenoIn(args, RUNTIME_DIR);

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
