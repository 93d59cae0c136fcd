/**
 * Hostile review of restore: a target the user should never restore into. template1 (or any
 * template) would hand the backup's schema and data to every database created afterwards, and
 * postgres is the maintenance database (pg_cron's, the admin's first connection): neither is
 * ever a restore target, empty or not, --force or not. And the backup role, which records its
 * backups, must not be able to record a passing drill: that would silence drill_failed.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PG_BINDIR, getPgEnv } from "../../components/backup/processes";
import { getScratchDatabaseName } from "../../components/backup/drill";
import { pruneArchives } from "../../components/backup/prune";
import { runRestore } from "../../components/backup/restore";
import { quoteIdent, withClient, withDatabase } from "../../components/lib/pg";
import { parseRestoreArgs } from "../../scripts/restore";
import { deployBackend } from "../../tools/testing/deploy";
import {
  createLoginRole,
  createTestDatabase,
  getPlannedLoginRole,
  type TestDatabase,
  type TestLoginRole,
} from "../../tools/testing/test-database";

let source: TestDatabase;
let directory: string;
let archive: string;
let template: string;

beforeAll(async () => {
  source = await createTestDatabase("orgstack_hostile_backup");
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-hostile-backup-"));
  archive = path.join(directory, "ci-20261126T030000Z.dump");
  await withClient(source.url, (c) =>
    c.query("create table leaked (secret text); insert into leaked values ('x')"),
  );
  const dump = spawnSync(
    path.join(PG_BINDIR, "pg_dump"),
    ["--format=custom", `--file=${archive}`],
    {
      env: { ...process.env, ...getPgEnv(source.url) },
    },
  );
  if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`);
  // An empty database of this test's own, marked as a template as the ephemeral stacks' are.
  template = `${source.name}_tpl`;
  await withClient(source.serverUrl, (c) =>
    c.query(`create database ${quoteIdent(template)} is_template true`),
  );
}, 60_000);
afterAll(async () => {
  await withClient(source.serverUrl, async (c) => {
    await c.query(`alter database ${quoteIdent(template)} is_template false`);
    await c.query(`drop database if exists ${quoteIdent(template)} with (force)`);
  });
  await source?.drop();
  fs.rmSync(directory, { recursive: true, force: true });
});

it.each(["postgres", "template0", "template1"])(
  "npm run restore refuses --to %s as a flag problem",
  (target) => {
    const bare = new URL(source.serverUrl);
    bare.password = "";
    expect(() =>
      parseRestoreArgs(
        ["--stack", "ci", "--from", archive, "--to", target, "--database-url", bare.toString()],
        {},
      ),
    ).toThrow(
      `'--to': ${target} is the server's maintenance or template database; restore into a new database, e.g. --to app_restored.`,
    );
  },
);

it("refuses to restore into a template database, even an empty one, and leaves it empty", async () => {
  await expect(
    runRestore({ file: archive, targetUrl: withDatabase(source.serverUrl, template), force: true }),
  ).rejects.toThrow(
    `Refusing to restore into database '${template}': it is a template (every new database would copy the backup). Restore into a new database.`,
  );
  const { rows } = await withClient(withDatabase(source.serverUrl, template), (c) =>
    c.query("select count(*)::int as n from pg_class where relname = 'leaked'"),
  );
  expect(rows[0].n).toBe(0);
});

it("the drill's scratch database never shares a name with the database, however long", () => {
  const long = "a".repeat(63);
  const scratch = getScratchDatabaseName(long, "0123abcd");
  expect(scratch).toBe(`${"a".repeat(48)}_drill_0123abcd`);
  // PostgreSQL cuts names at 63 bytes, not characters: a cut must not split a character either.
  const wide = getScratchDatabaseName("é".repeat(40), "0123abcd");
  expect([Buffer.byteLength(wide), wide]).toEqual([63, `${"é".repeat(24)}_drill_0123abcd`]);
  expect(getScratchDatabaseName("app_pr_42", "0123abcd")).toBe("app_pr_42_drill_0123abcd");
});

describe("the backup role (pg_read_all_data) and the drill history", () => {
  let stack: TestDatabase;
  let backupRole: TestLoginRole;

  beforeAll(async () => {
    stack = await createTestDatabase("orgstack_hostile_drill");
    await deployBackend(stack);
    backupRole = await createLoginRole(stack, getPlannedLoginRole("backup"));
    // A drill that failed: drill_failed fires until a drill passes.
    await withClient(stack.url, (c) =>
      c.query(
        `select ops.finish_backup_run(ops.start_backup_run('drill'), '{"status": "failed", "error": "checksum differs"}')`,
      ),
    );
  }, 120_000);
  afterAll(async () => {
    await backupRole?.drop();
    await stack?.drop();
  });

  async function getDrillFailed(): Promise<number> {
    const { rows } = await withClient(stack.url, (c) =>
      c.query(`select value from ops.health() where "check" = 'drill_failed'`),
    );
    return Number(rows[0].value);
  }

  it("cannot record a passing drill that would silence drill_failed", async () => {
    expect(await getDrillFailed()).toBe(1);
    const forged = withClient(backupRole.url, (c) =>
      c.query(
        `select ops.finish_backup_run(ops.start_backup_run('drill'), '{"status": "succeeded"}')`,
      ),
    );
    await expect(forged).rejects.toMatchObject({ code: "42501" });
    expect(await getDrillFailed()).toBe(1);
  });

  it("cannot finish or fail the admin's running drill, but still records its own backups", async () => {
    const { rows } = await withClient(stack.url, (c) =>
      c.query("select ops.start_backup_run('drill') as id"),
    );
    const finish = withClient(backupRole.url, (c) =>
      c.query(`select ops.finish_backup_run($1, '{"status": "succeeded"}')`, [rows[0].id]),
    );
    await expect(finish).rejects.toMatchObject({ code: "42501" });
    const fail = withClient(backupRole.url, (c) =>
      c.query("select ops.fail_interrupted_backup_runs('drill')"),
    );
    await expect(fail).rejects.toMatchObject({ code: "42501" });
    const own = await withClient(backupRole.url, (c) =>
      c.query(
        `select ops.finish_backup_run(ops.start_backup_run('logical'), '{"status": "failed", "error": "test"}')`,
      ),
    );
    expect(own.rowCount).toBe(1);
    const statuses = await withClient(stack.url, (c) =>
      c.query("select kind, status from ops.backup_runs order by id"),
    );
    expect(statuses.rows).toEqual([
      { kind: "drill", status: "failed" },
      { kind: "drill", status: "running" },
      { kind: "logical", status: "failed" },
    ]);
  });

  it("retention deletes only archives the history recorded, never a file that only looks like one", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-hostile-retention-"));
    const recorded = [
      "ci-20261101T030000Z.dump",
      "ci-20261120T030000Z.dump",
      "ci-20261125T030000Z.dump",
    ];
    // Not written by the stack: an operator's copy, a file dated in the future, a folder.
    const foreign = ["ci-20200101T000000Z.dump", "ci-20991231T000000Z.dump"];
    for (const name of [...recorded, ...foreign]) fs.writeFileSync(path.join(dir, name), name);
    fs.mkdirSync(path.join(dir, "ci-20261102T030000Z.dump"));
    await withClient(stack.url, async (c) => {
      for (const archive of recorded) {
        await c.query("select ops.finish_backup_run(ops.start_backup_run('logical'), $1)", [
          { status: "succeeded", archive, bytes: 1, sha256: "0".repeat(64) },
        ]);
      }
      await c.query(
        "select ops.record_backup_verification(id, true, 1, '{}') from ops.backup_runs where archive = $1",
        [recorded[0]],
      );
    });
    const plan = await pruneArchives({
      url: stack.url,
      stack: "ci",
      directory: dir,
      retention: { daily: 1, weekly: 0, monthly: 0 },
    });
    expect(plan.delete).toEqual([recorded[1]]);
    expect(fs.readdirSync(dir).sort()).toEqual(
      [recorded[0], recorded[2], ...foreign, "ci-20261102T030000Z.dump"].sort(),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
