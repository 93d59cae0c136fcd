/**
 * The ops endpoints' pure parts under Deno (runtime/ops/tests: the Prometheus text format and
 * its escaping, the series a snapshot becomes, HTML escaping of hostile names in the page and
 * its charts, the token and cookie checks, the environment) and their type check. Needs Deno,
 * not PostgreSQL.
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

describe("ops endpoints under Deno", () => {
  it("type-check", () => {
    const result = runDeno(["check", "--config", "runtime/deno.json", "runtime/ops/routes.ts"]);
    expect(result).toEqual({ status: 0, output: expect.any(String) });
  });

  it("pass their unit tests", () => {
    const result = runDeno([
      "test",
      "--no-prompt",
      "--config",
      "runtime/deno.json",
      "runtime/ops/tests/",
    ]);
    if (result.status !== 0) throw new Error(`deno test failed:\n${result.output}`);
    expect(result.output).toMatch(/ok \| 15 passed \| 0 failed/);
  });
});
