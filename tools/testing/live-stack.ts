import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { quoteIdent, quoteLiteral, withClient } from "../../components/lib/pg";
import { EngineHarness, type StackRunOptions } from "../engine/harness";
import { PROJECT_ROOT, readStackFile } from "../engine/program";

/** What a program folder holds; node_modules is linked, not copied. */
const PROGRAM_ENTRIES = [
  "Pulumi.yaml",
  "package.json",
  "tsconfig.json",
  "index.ts",
  "app.ts",
  "tables.ts",
  "edge-functions.ts",
  "functions",
  "runtime",
  "components",
  "sql",
  "stacks",
];

/**
 * A private copy of the reference program, so a scenario can edit a migration or drop a
 * tenant table the way a pull request would, without touching the repository.
 */
export function copyProgram(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-program-"));
  for (const entry of PROGRAM_ENTRIES) {
    fs.cpSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

/** An admin login of the stack's own, so rotating its password touches nothing else. */
export interface StackAdmin {
  readonly user: string;
  password: string;
}

export async function createStackAdmin(serverUrl: string): Promise<StackAdmin> {
  const admin = {
    user: `orgstack_admin_${crypto.randomBytes(3).toString("hex")}`,
    password: crypto.randomBytes(12).toString("hex"),
  };
  await withClient(serverUrl, (c) =>
    c.query(
      `create role ${quoteIdent(admin.user)} login superuser password ${quoteLiteral(admin.password)}`,
    ),
  );
  return admin;
}

export async function setAdminPassword(serverUrl: string, admin: StackAdmin, password: string) {
  await withClient(serverUrl, (c) =>
    c.query(`alter role ${quoteIdent(admin.user)} password ${quoteLiteral(password)}`),
  );
  admin.password = password;
}

export async function dropStackAdmin(serverUrl: string, admin: StackAdmin): Promise<void> {
  await withClient(serverUrl, (c) => c.query(`drop role if exists ${quoteIdent(admin.user)}`));
}

/** The ci stack file as a PR stack `pr-<n>` on the test server, with its admin's password. */
export function getPrStackOptions(
  serverUrl: string,
  stack: string,
  admin: StackAdmin,
): StackRunOptions {
  return getStackOptions(serverUrl, admin, { stackFile: "ci", stack });
}

/** A stack file pointed at the test server and run as `stack`, with its admin's password. */
export function getStackOptions(
  serverUrl: string,
  admin: StackAdmin,
  options: { stackFile: string; stack: string; programDir?: string },
): StackRunOptions {
  const { stack } = options;
  const url = new URL(serverUrl);
  const config = readStackFile(options.stackFile, options.programDir);
  const database = config["orgstack:database"] as Record<string, unknown>;
  return {
    stack,
    config: {
      ...config,
      "orgstack:database": {
        ...database,
        host: url.hostname,
        port: Number(url.port),
        adminUser: admin.user,
      },
    },
    secrets: {
      "orgstack:databasePassword": admin.password,
      ...(config["orgstack:functions"] !== undefined && {
        "orgstack:jwtSecret": getStackJwtSecret(admin, stack),
      }),
    },
  };
}

/**
 * The JWT secret `npm run up` would generate for a stack with edge functions: random per test
 * admin, the same on every run of one stack, so an up after an up changes nothing.
 */
export function getStackJwtSecret(admin: StackAdmin, stack: string): string {
  return crypto.createHash("sha256").update(`jwt-secret:${admin.user}:${stack}`).digest("hex");
}

export function createHarness(programDir: string): EngineHarness {
  return new EngineHarness({ programDir });
}

/** What of a server-mode stack is on the server: its database and its three login roles. */
export async function countStackLeftovers(
  serverUrl: string,
  databaseName: string,
): Promise<{ databases: number; roles: number }> {
  const roles = ["authenticator", "monitor", "backup"].map((r) => `${databaseName}_${r}`);
  const { rows } = await withClient(serverUrl, (c) =>
    c.query(
      `select (select count(*)::int from pg_database where datname = $1) as databases,
              (select count(*)::int from pg_roles where rolname = any($2)) as roles`,
      [databaseName, roles],
    ),
  );
  return rows[0];
}
