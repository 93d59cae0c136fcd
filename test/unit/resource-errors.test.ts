import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT, STARTER_DIR, readStackFile, runProgram } from "../../tools/engine/program";
import { getStackSecrets } from "../support/program-runs";
import { recordingMocks } from "../support/recording-mocks";

/** The starter with `notes` declared owner-rows but no owner column: a bad TenantTable. */
function copyStarterWithBadTable(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-starter-"));
  fs.cpSync(STARTER_DIR, dir, { recursive: true });
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
  const index = path.join(dir, "index.ts");
  const text = fs.readFileSync(index, "utf8");
  fs.writeFileSync(index, text.replace('access: "members-write"', 'access: "owner-rows"'));
  return dir;
}

describe("component errors", () => {
  it("tie a bad tenant table's refusal to its TenantTable, with the message unchanged", async () => {
    const dir = copyStarterWithBadTable();
    try {
      const error = (await runProgram({
        stack: "ci",
        config: readStackFile("ci", dir),
        secrets: getStackSecrets("ci", dir),
        newResource: recordingMocks,
        programDir: dir,
      }).catch((e: unknown) => e)) as Error & { resource?: unknown };
      expect(error?.message).toBe(
        "Invalid TenantTable 'notes':\n" +
          `  - 'ownerColumn' is required with access "owner-rows": name the uuid column that holds the row's owner.`,
      );
      expect(error?.constructor.name).toBe("ResourceError");
      expect(error?.resource).toBeDefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
