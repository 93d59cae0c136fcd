import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { runLanguageHost } from "../../tools/engine/language-host";
import { readStackFile } from "../../tools/engine/program";
import { TEST_DATABASE_URL_ENV } from "../../tools/testing/cluster";
import { getServerUrl } from "../../tools/testing/test-database";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");

/**
 * What a user does on day one: `npm run new`, `npm install`, `npm test` in the new folder. The
 * install fetches the project's own @pulumi/pulumi, pg and libpg-query as a user's would.
 */
describe("live: npm run new makes a project whose own npm test passes", () => {
  it("from the starter, before the first edit", async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-kickoff-"));
    // Typed in `parent`: npm runs the script in the library and passes the folder as INIT_CWD.
    const created = await run(
      "npm",
      ["--prefix", ROOT, "run", "-s", "new", "--", "acme-notes", "--from", "starter"],
      { cwd: parent },
    );
    expect(created.stdout).toContain("Created acme-notes from examples/starter in acme-notes");
    const dir = path.join(parent, "acme-notes");
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: dir });
    const tested = await run("npm", ["test"], {
      cwd: dir,
      env: { ...process.env, [TEST_DATABASE_URL_ENV]: getServerUrl() },
    });
    expect(tested.stdout).toMatch(/^ok {3}type check \(tsc --noEmit\): /m);
    expect(tested.stdout).toContain("ok   test/01-notes.sql: 12 assertions");
    expect(tested.stdout).toContain("orgstack-test: passed");
    // `pulumi preview` compiles it with the project's own TypeScript, not Pulumi's vendored 3.8.
    const preview = await runLanguageHost({
      programDir: dir,
      stack: "ci",
      config: readStackFile("ci", dir),
      secrets: { "orgstack:databasePassword": "ci-admin-password" },
    });
    expect(preview.output).not.toContain("error");
    expect(preview.exitCode).toBe(0);
  }, 240_000);
});
