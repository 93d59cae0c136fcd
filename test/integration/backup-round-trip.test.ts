import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runLogicalBackup, type LogicalBackupResult } from "../../components/backup/logical-backup";
import { runRestore } from "../../components/backup/restore";
import type { TableSnapshot } from "../../components/backup/snapshot";
import { withClient, withDatabase } from "../../components/lib/pg";
import {
  createLoginRole,
  createTestDatabase,
  getPlannedLoginRole,
  type TestDatabase,
  type TestLoginRole,
} from "../../tools/testing/test-database";
import {
  deployPgtapBackend,
  runPgProve,
  setPgtapSessionDefaults,
  SUITES_DIR,
} from "../db/pgtap-backend";

/** Rows in every kind of table: users (and their profiles), organizations, members, projects. */
const SEED = `
  insert into auth.users (email) select 'user' || g || '@example.test' from generate_series(1, 300) g;
  insert into public.organizations (name, slug, created_by)
    select 'Org ' || g, 'org-' || g, (select id from auth.users where email = 'user' || g || '@example.test')
    from generate_series(1, 20) g;`;

async function getSnapshot(url: string): Promise<TableSnapshot> {
  return withClient(url, async (c) => {
    await c.query("begin isolation level repeatable read");
    const { rows } = await c.query<{ s: TableSnapshot }>("select ops.get_table_snapshot() as s");
    await c.query("commit");
    return rows[0].s;
  });
}

const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(2);

describe("logical backup and restore", () => {
  let source: TestDatabase;
  let directory: string;
  let backup: LogicalBackupResult;
  /** The stack's backup login role, with the attributes the database plan gives it. */
  let backupRole: TestLoginRole;
  const restored: string[] = [];

  beforeAll(async () => {
    source = await createTestDatabase("orgstack_backup");
    await deployPgtapBackend(source);
    await withClient(source.url, (c) => c.query(SEED));
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-backup-"));
    backupRole = await createLoginRole(source, getPlannedLoginRole("backup"));
    backup = await runLogicalBackup({ url: backupRole.url, stack: "ci", directory });
    console.log(
      `Logical backup: ${mb(backup.bytes)} MB in ${backup.seconds.toFixed(2)} s ` +
        `(${Object.keys(backup.snapshot).length} tables).`,
    );
  }, 120_000);
  afterAll(async () => {
    for (const name of restored) {
      await withClient(source.serverUrl, (c) =>
        c.query(`drop database if exists "${name}" with (force)`),
      );
    }
    await source.drop();
    await backupRole.drop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it("publishes one archive with its sha256 and a succeeded run row", async () => {
    expect(fs.readdirSync(directory)).toEqual([backup.archive]);
    expect(backup.archive).toMatch(/^ci-\d{8}T\d{6}Z\.dump$/);
    const { rows } = await withClient(source.url, (c) =>
      c.query(
        "select kind, status, bytes, sha256, archive, error from ops.backup_runs where id = $1",
        [backup.runId],
      ),
    );
    expect(rows).toEqual([
      {
        kind: "logical",
        status: "succeeded",
        bytes: String(fs.statSync(backup.file).size),
        sha256: backup.sha256,
        archive: backup.archive,
        error: null,
      },
    ]);
    expect(backup.snapshot["auth.users"]).toEqual({ rows: 300, checksum: expect.any(String) });
    expect(backup.snapshot["public.organizations"].rows).toBe(20);
  });

  it("backs up as a role that reads every row and may write none", async () => {
    await expect(
      withClient(backupRole.url, (c) =>
        c.query("update public.organizations set name = 'taken over' where slug = 'org-1'"),
      ),
    ).rejects.toThrow(/permission denied for table organizations/);
    await expect(
      withClient(backupRole.url, (c) => c.query("select public.create_organization('x', 'x')")),
    ).rejects.toThrow(/permission denied for (function|schema)/);
  });

  it("cannot back up as a reader that row-level security still applies to", async () => {
    const reader = await createLoginRole(source, {
      ...getPlannedLoginRole("backup"),
      key: "reader",
      bypassRowLevelSecurity: false,
    });
    const readerDir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-backup-rls-"));
    try {
      await expect(
        runLogicalBackup({ url: reader.url, stack: "ci", directory: readerDir }),
      ).rejects.toThrow(/query would be affected by row-level security policy for table/);
      expect(fs.readdirSync(readerDir)).toEqual([]);
    } finally {
      fs.rmSync(readerDir, { recursive: true, force: true });
      await reader.drop();
    }
  }, 60_000);

  it("restores identical table by table, with grants that pass the isolation suite", async () => {
    const name = `${source.name}_restored`;
    restored.push(name);
    const url = withDatabase(source.serverUrl, name);
    const seconds = await runRestore({ file: backup.file, targetUrl: url, force: false });
    console.log(`Restore: ${mb(backup.bytes)} MB archive in ${seconds.toFixed(2)} s.`);
    expect(await getSnapshot(url)).toEqual(backup.snapshot);
    await setPgtapSessionDefaults({ name, serverUrl: source.serverUrl });
    const suite = await runPgProve(url, path.join(SUITES_DIR, "01-tenant-isolation.sql"));
    expect(suite.failures).toEqual([]);
    expect(suite.passed).toBe(true);
  }, 120_000);

  it("refuses a non-empty target and leaves it as it was", async () => {
    const before = await getSnapshot(source.url);
    const lines: string[] = [];
    await expect(
      runRestore({
        file: backup.file,
        targetUrl: source.url,
        force: false,
        log: (l) => lines.push(l),
      }),
    ).rejects.toThrow(
      new RegExp(
        `^Refusing to restore into database '${source.name}': it is not empty \\(\\d+ objects: .*\\)\\. Restore into a new database, or pass --force to drop it and create it again\\.$`,
      ),
    );
    expect(lines[0]).toBe(
      `Restore plan for '${backup.file}' (taken ${backup.archive.replace(/^ci-(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z.dump$/, "$1-$2-$3T$4:$5:$6.000Z")}):`,
    );
    expect(await getSnapshot(source.url)).toEqual(before);
  });

  it("replaces a non-empty target with --force", async () => {
    const name = `${source.name}_forced`;
    restored.push(name);
    const url = withDatabase(source.serverUrl, name);
    await withClient(source.serverUrl, (c) => c.query(`create database "${name}"`));
    await withClient(url, (c) =>
      c.query("create table public.stray (id int); insert into public.stray values (1)"),
    );
    await runRestore({ file: backup.file, targetUrl: url, force: true });
    expect(await getSnapshot(url)).toEqual(backup.snapshot);
  }, 60_000);
  it("encrypts an archive with a key no command line shows, and restores it with the key", async () => {
    const key = "k3y-".repeat(10);
    const encDir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-backup-enc-"));
    const commandLines: string[] = [];
    const encrypted = await runLogicalBackup({
      url: source.url,
      stack: "ci",
      directory: encDir,
      encryptionKey: key,
      onSpawn: (pid) => commandLines.push(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8")),
    });
    expect(encrypted.archive).toMatch(/^ci-\d{8}T\d{6}Z\.dump\.enc$/);
    expect(commandLines.join(" ")).not.toContain(key);
    expect(fs.readFileSync(encrypted.file).subarray(0, 8).toString()).toBe("Salted__");
    const name = `${source.name}_decrypted`;
    restored.push(name);
    const url = withDatabase(source.serverUrl, name);
    await expect(
      runRestore({
        file: encrypted.file,
        targetUrl: url,
        force: false,
        encryptionKey: "wrong".repeat(8),
      }),
    ).rejects.toThrow(
      /'pg_restore' exited with status 1: pg_restore: error: input file does not appear to be a valid archive/,
    );
    await runRestore({ file: encrypted.file, targetUrl: url, force: true, encryptionKey: key });
    expect(await getSnapshot(url)).toEqual(encrypted.snapshot);
    fs.rmSync(encDir, { recursive: true, force: true });
  }, 60_000);
});
