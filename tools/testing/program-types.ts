import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";

export interface TypeCheck {
  readonly passed: boolean;
  /** The compiler's diagnostics, one per line; empty when it passed. */
  readonly diagnostics: readonly string[];
  readonly seconds: number;
}

/**
 * `tsc --noEmit -p <programDir>` with the program's own TypeScript. `pulumi preview` and `up`
 * only transpile (tsconfig's `"ts-node": { "transpileOnly": true }`), so this is where a
 * misspelt option in a table declaration or a Backend argument is caught.
 */
export async function checkProgramTypes(programDir: string): Promise<TypeCheck> {
  const tsc = require.resolve("typescript/bin/tsc", { paths: [programDir] });
  const start = process.hrtime.bigint();
  const result = await promisify(execFile)(process.execPath, [tsc, "--noEmit", "-p", "."], {
    cwd: path.resolve(programDir),
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    () => ({ passed: true, output: "" }),
    (error: { stdout?: string; message: string }) => ({
      passed: false,
      output: error.stdout || error.message,
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const diagnostics = result.output.split("\n").filter((line) => line.trim() !== "");
  return { passed: result.passed, diagnostics, seconds };
}
