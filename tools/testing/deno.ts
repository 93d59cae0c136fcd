import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

/** The Deno of the npm package `deno`, at the version package.json pins. */
export const DENO = path.join(ROOT, "node_modules/.bin/deno");

/** Runs Deno in the repository (or `cwd`), without colour or update checks: status and output. */
export function runDeno(
  args: readonly string[],
  cwd = ROOT,
): { status: number | null; output: string } {
  const result = spawnSync(DENO, [...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
