import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  computeMissingPrerequisitesMessage,
  getMissingPrerequisites,
  validatePrerequisites,
} from "../../tools/testing/cluster";

describe("computeMissingPrerequisitesMessage", () => {
  it("names each missing item with its package, and installs each package once", () => {
    const message = computeMissingPrerequisitesMessage([
      { what: "/usr/lib/postgresql/15/bin/initdb", debianPackage: "postgresql-15" },
      { what: "/usr/lib/postgresql/15/bin/pg_ctl", debianPackage: "postgresql-15" },
      { what: "/usr/lib/postgresql/15/lib/pg_cron.so", debianPackage: "postgresql-15-cron" },
      {
        what: "'pg_prove' on PATH",
        debianPackage: "libtap-parser-sourcehandler-pgtap-perl",
      },
    ]);
    expect(message).toBe(
      [
        "The database tests need PostgreSQL 15 with pg_cron and pgTAP, pg_prove, openssl and pgbackrest. Missing:",
        "  - /usr/lib/postgresql/15/bin/initdb (Debian package 'postgresql-15')",
        "  - /usr/lib/postgresql/15/bin/pg_ctl (Debian package 'postgresql-15')",
        "  - /usr/lib/postgresql/15/lib/pg_cron.so (Debian package 'postgresql-15-cron')",
        "  - 'pg_prove' on PATH (Debian package 'libtap-parser-sourcehandler-pgtap-perl')",
        "Install them as root:",
        "  apt-get install postgresql-15 postgresql-15-cron libtap-parser-sourcehandler-pgtap-perl",
        "Or set 'ORGSTACK_PG_BINDIR' to the folder of PostgreSQL 15's server binaries, or " +
          "'ORGSTACK_TEST_DATABASE_URL' to an admin URL of a PostgreSQL 15 server of your own with " +
          "pg_cron and pgTAP. The unit tests need none of this: npx jest --selectProjects unit",
      ].join("\n"),
    );
  });
});

describe("getMissingPrerequisites", () => {
  const savedPath = process.env.PATH;
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-preflight-"));
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reports absent files and commands not on PATH, and nothing that is there", () => {
    const tool = path.join(dir, "bin", "some-tool");
    fs.mkdirSync(path.dirname(tool));
    fs.writeFileSync(tool, "#!/bin/sh\n", { mode: 0o755 });
    process.env.PATH = path.dirname(tool);
    const missing = getMissingPrerequisites([
      { file: tool, debianPackage: "present-file" },
      { file: path.join(dir, "absent.so"), debianPackage: "absent-file" },
      { command: "some-tool", debianPackage: "present-command" },
      { command: "absent-tool", debianPackage: "absent-command" },
    ]);
    expect(missing).toEqual([
      { what: path.join(dir, "absent.so"), debianPackage: "absent-file" },
      { what: "'absent-tool' on PATH", debianPackage: "absent-command" },
    ]);
  });

  it("does not count a file that is not executable as a command", () => {
    fs.writeFileSync(path.join(dir, "plain"), "", { mode: 0o644 });
    process.env.PATH = dir;
    expect(getMissingPrerequisites([{ command: "plain", debianPackage: "p" }])).toEqual([
      { what: "'plain' on PATH", debianPackage: "p" },
    ]);
  });
});

describe("validatePrerequisites", () => {
  it("throws the one message when something is missing, and passes otherwise", () => {
    const absent = path.join(os.tmpdir(), "orgstack-preflight-absent", "initdb");
    expect(() => validatePrerequisites([{ file: absent, debianPackage: "postgresql-15" }])).toThrow(
      computeMissingPrerequisitesMessage([{ what: absent, debianPackage: "postgresql-15" }]),
    );
    expect(() => validatePrerequisites([{ file: os.tmpdir(), debianPackage: "x" }])).not.toThrow();
  });
});
