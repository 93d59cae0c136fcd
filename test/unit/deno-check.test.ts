import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";

import { DENO } from "../../tools/testing/deno";

const ROOT = path.resolve(__dirname, "../..");

/** Deno code tsc leaves out (tsconfig.json), each folder with its own deno.json. */
const DENO_PROGRAMS: readonly { config: string; entries: readonly string[] }[] = [
  {
    config: "runtime/deno.json",
    entries: [
      "runtime/main.ts",
      "runtime/function-host.ts",
      "runtime/worker/main.ts",
      "runtime/ops/routes.ts",
    ],
  },
  {
    config: "functions/deno.json",
    entries: [
      "functions/health/index.ts",
      "functions/invite-member/index.ts",
      "functions/accept-invitation/index.ts",
      "functions/_template/index.ts",
    ],
  },
];

describe("Deno code", () => {
  it.each(DENO_PROGRAMS)("type-checks with deno check ($config)", async ({ config, entries }) => {
    const result = await promisify(execFile)(DENO, ["check", "--config", config, ...entries], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    }).catch((error: { stderr?: string }) => ({ stderr: error.stderr ?? String(error) }));
    expect(result.stderr).not.toMatch(/error/i);
  });
});
