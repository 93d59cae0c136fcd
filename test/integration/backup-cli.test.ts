import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { withClient } from "../../components/lib/pg";
import { deployBackend } from "../../tools/testing/deploy";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

const ROOT = path.resolve(__dirname, "..", "..");

/** Runs a script as `npm run <script>` would, with only the given env added. */
function run(script: string, args: readonly string[], env: Record<string, string> = {}) {
  const { PGPASSWORD: _ignored, ...rest } = process.env;
  const result = spawnSync(
    "node",
    [
      require.resolve("ts-node/dist/bin"),
      "--transpile-only",
      path.join(ROOT, "scripts", script),
      ...args,
    ],
    { cwd: ROOT, encoding: "utf8", env: { ...rest, ...env } },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("backup CLIs", () => {
  let source: TestDatabase;
  let directory: string;
  let bare: string;
  let password: string;

  beforeAll(async () => {
    source = await createTestDatabase("orgstack_backup_cli");
    await deployBackend(source);
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-backup-"));
    const url = new URL(source.url);
    password = decodeURIComponent(url.password);
    url.password = "";
    bare = url.toString();
  }, 120_000);
  afterAll(async () => {
    await withClient(source.serverUrl, (c) =>
      c.query(`drop database if exists "${source.name}_cli" with (force)`),
    );
    await source.drop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it("list every problem of the flags at once", () => {
    const result = run("restore.ts", [
      "--stack",
      "bad stack!",
      "--to",
      "App",
      "--force=yes",
      "--database-url",
      source.url,
      "--frm=x",
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      [
        "Invalid arguments. Usage: npm run restore -- --stack <stack> --from <archive> --to <database> [--database-url <url>] [--force] (point in time: --to-time, see docs/backups.md)",
        "  - '--force' takes no value; found \"yes\".",
        "  - '--frm=x' is not a known flag. Flags: --stack, --from, --to, --database-url, --force.",
        "  - '--stack': expected letters, digits, '-', '_' or '.'; found \"bad stack!\".",
        "  - '--database-url' holds a password, which ps shows to every user: remove it and set PGPASSWORD.",
        "  - '--to': expected a database name of lowercase letters, digits and '_'; found \"App\".",
        "  - '--from' is required: an archive file, or its name in the stack's backup directory.",
        "",
      ].join("\n"),
    );
  });

  it("back up, drill and restore, refusing a non-empty target", () => {
    const env = { PGPASSWORD: password };
    const common = ["--stack", "ci", "--database-url", bare];
    const backup = run("backup.ts", [...common, "--directory", directory], env);
    expect(backup.stderr).toBe("");
    expect(backup.stdout).toMatch(
      /^Backup (ci-\d{8}T\d{6}Z\.dump): [\d.]+ MB in [\d.]+ s, sha256 [0-9a-f]{64}, \d+ tables \(run \d+\)\.\nRetention: kept 1, deleted 0\.\n$/,
    );
    const archive = /^Backup (\S+):/.exec(backup.stdout)![1];
    const drill = run("backup-drill.ts", [...common, "--directory", directory], env);
    expect(drill.stdout).toMatch(
      new RegExp(
        `Drill of ${archive} \\([\\d.]+ MB\\): restored in [\\d.]+ s, PASSED \\(run \\d+\\)\\.\\n$`,
      ),
    );
    expect(drill.status).toBe(0);
    const file = path.join(directory, archive);
    const refused = run("restore.ts", [...common, "--from", file, "--to", source.name], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^Refusing to restore into database '.*': it is not empty/);
    const restored = run(
      "restore.ts",
      [...common, "--from", file, "--to", `${source.name}_cli`],
      env,
    );
    expect(restored.stdout).toMatch(
      /^Restore plan for .*\n  1\. Create database .*\n  2\. .*\n  3\. .*\nRestored .* in [\d.]+ s\.\n$/,
    );
    expect(restored.status).toBe(0);
    console.log([backup.stdout, drill.stdout, restored.stdout].join(""));
  }, 120_000);
});
