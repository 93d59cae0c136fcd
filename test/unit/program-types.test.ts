import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../tools/engine/program";
import { EXAMPLES_DIR } from "../../tools/kickoff/new-project";
import { checkProgramTypes } from "../../tools/testing/program-types";

/** A copy of the starter beside this checkout's modules, with `edit` applied to its index.ts. */
function copyStarter(edit: (text: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-types-"));
  fs.cpSync(path.join(EXAMPLES_DIR, "starter"), dir, { recursive: true });
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
  const index = path.join(dir, "index.ts");
  fs.writeFileSync(index, edit(fs.readFileSync(index, "utf8")));
  return dir;
}

/**
 * `pulumi preview` and `up` only transpile, so orgstack-test type-checks a program before it
 * deploys anything: a misspelt table option would otherwise be ignored.
 */
describe("checkProgramTypes: tsc --noEmit with the program's own TypeScript", () => {
  it("passes the starter as shipped", async () => {
    const result = await checkProgramTypes(copyStarter((text) => text));
    expect(result.diagnostics).toEqual([]);
    expect(result.passed).toBe(true);
  }, 60_000);

  it("names a misspelt option of a table declaration, with its file and line", async () => {
    const dir = copyStarter((text) =>
      text.replace('access: "members-write" }', 'access: "members-write", timestamp: false }'),
    );
    const result = await checkProgramTypes(dir);
    expect(result.passed).toBe(false);
    expect(result.diagnostics.join("\n")).toMatch(
      /index\.ts\(\d+,\d+\): error TS2561: .*'timestamp' does not exist in type 'TenantTableSpec'/,
    );
  }, 60_000);
});
