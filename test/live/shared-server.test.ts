import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { getClientConfig, withClient, withDatabase } from "../../components/lib/pg";
import type { DatabaseConnection } from "../../components/lib/pg";
import type { EngineHarness, StackRunOptions } from "../../tools/engine/harness";
import { createUser, withApiRequest } from "../../tools/testing/api-request";
import {
  copyProgram,
  countStackLeftovers,
  createHarness,
  createStackAdmin,
  dropStackAdmin,
  getPrStackOptions,
  type StackAdmin,
} from "../../tools/testing/live-stack";
import { getServerUrl } from "../../tools/testing/test-database";

interface PrStack {
  readonly databaseName: string;
  readonly programDir: string;
  readonly harness: EngineHarness;
  readonly options: StackRunOptions;
  connections?: Record<string, DatabaseConnection>;
}

const serverUrl = getServerUrl();
let admin: StackAdmin;
const stacks: PrStack[] = [];

function newPrStack(): PrStack {
  const number = crypto.randomInt(10000, 99999);
  const programDir = copyProgram();
  const stack = {
    databaseName: `app_pr_${number}`,
    programDir,
    harness: createHarness(programDir),
    options: getPrStackOptions(serverUrl, `pr-${number}`, admin),
  };
  stacks.push(stack);
  return stack;
}

async function up(stack: PrStack): Promise<void> {
  const { run } = await stack.harness.up(stack.options);
  stack.connections = run?.outputs.connections as Record<string, DatabaseConnection>;
}

/** An API request through the stack's own authenticator: it must still be able to become authenticated. */
async function countVisibleOrganizations(stack: PrStack): Promise<number> {
  const caller = { userId: crypto.randomUUID(), role: "authenticated" as const };
  const config = getClientConfig(stack.connections!.authenticator, "orgstack live test");
  return withApiRequest(config, caller, async (c) => {
    const { rows } = await c.query("select count(*)::int as n from public.organizations");
    return rows[0].n as number;
  });
}

/** "connected", or PostgreSQL's refusal. */
async function canConnect(connection: DatabaseConnection): Promise<string> {
  return withClient(
    getClientConfig(connection, "orgstack live test"),
    async () => "connected",
  ).catch((error: Error) => error.message);
}

function countLeftovers(stack: PrStack) {
  return countStackLeftovers(serverUrl, stack.databaseName);
}

beforeAll(async () => {
  admin = await createStackAdmin(serverUrl);
});

afterAll(async () => {
  for (const stack of stacks) {
    await stack.harness.destroy().catch(() => undefined);
    await stack.harness.close();
    fs.rmSync(stack.programDir, { recursive: true, force: true });
  }
  await dropStackAdmin(serverUrl, admin);
});

describe("live: two PR stacks on one server", () => {
  it.each([
    ["first", [0, 1]],
    ["second", [1, 0]],
  ])(
    "come up side by side and are destroyed in either order (%s stack first)",
    async (_, order) => {
      const pair = [newPrStack(), newPrStack()];
      await up(pair[0]);
      await up(pair[1]);
      for (const stack of pair) expect(await countVisibleOrganizations(stack)).toBe(0);
      // Each stack's logins reach its own database and not the other's: the backup login
      // bypasses RLS, and the authenticator may become service_role.
      for (const [own, other] of [pair, [pair[1], pair[0]]]) {
        for (const key of ["backup", "authenticator", "monitor"]) {
          const login = own.connections![key];
          expect(await canConnect({ ...login, database: own.databaseName })).toBe("connected");
          expect(await canConnect({ ...login, database: other.databaseName })).toBe(
            `permission denied for database "${other.databaseName}"`,
          );
        }
      }

      const [first, second] = order.map((i) => pair[i]);
      await first.harness.destroy();
      expect(await countLeftovers(first)).toEqual({ databases: 0, roles: 0 });
      // The other stack keeps the shared platform roles and its authenticator's memberships.
      expect(await countVisibleOrganizations(second)).toBe(0);

      await second.harness.destroy();
      expect(await countLeftovers(second)).toEqual({ databases: 0, roles: 0 });
    },
  );
});

describe("live: changes a pull request makes", () => {
  let stack: PrStack;
  const appUrl = () => withDatabase(serverUrl, stack.databaseName);
  const addFile = (relative: string, text: string) => {
    const file = path.join(stack.programDir, relative);
    fs.writeFileSync(file, text);
    return () => fs.rmSync(file);
  };

  beforeAll(async () => {
    stack = newPrStack();
    await up(stack);
  });

  it("reports a failing migration's own error through the engine, and rolls it back", async () => {
    const remove = addFile(
      "sql/migrations/0003_add_sponsor.sql",
      "alter table public.projects add column sponsor text;\n" +
        "alter table public.projects add column sponsor_id uuid references public.sponsors (id);\n",
    );
    try {
      await expect(stack.harness.up(stack.options)).rejects.toThrow(
        "update failed:\n  - orgstack-migrations: 'app/0003_add_sponsor.sql' failed and " +
          'was rolled back: relation "public.sponsors" does not exist (SQLSTATE 42P01)',
      );
    } finally {
      remove();
    }
    const { rows } = await withClient(appUrl(), (c) =>
      c.query(
        "select count(*)::int as n from information_schema.columns where table_name = 'projects' and column_name = 'sponsor'",
      ),
    );
    expect(rows[0].n).toBe(0);
  });

  it("refuses a SQL object with a syntax error at preview, naming the file and line", async () => {
    const remove = addFile(
      "sql/objects/public/functions/get_project_count.sql",
      "-- orgstack:object function public.get_project_count()\n" +
        "-- get_project_count(): projects visible to the caller. Callers: authenticated.\n" +
        "create or replace function public.get_project_count() returns bigint\n" +
        "languag sql stable set search_path = '' as $$ select count(*) from public.projects $$;\n",
    );
    try {
      await expect(stack.harness.preview(stack.options)).rejects.toThrow(
        "'sql/objects/public/functions/get_project_count.sql' line 4: syntax error at or near",
      );
    } finally {
      remove();
    }
  });

  it("keeps RLS on a table whose TenantTable is removed, so its rows stay hidden", async () => {
    const ada = await createUser(appUrl(), `ada-${stack.databaseName}@example.com`);
    await withClient(appUrl(), async (c) => {
      const org = await c.query(
        "insert into public.organizations (name, slug, created_by) values ('Engines', 'engines', $1) returning id",
        [ada.userId],
      );
      await c.query(
        "insert into public.projects (organization_id, name, owner_id) values ($1, 'Difference Engine', $2)",
        [org.rows[0].id, ada.userId],
      );
    });
    const revision = copyProgram();
    fs.writeFileSync(
      path.join(revision, "tables.ts"),
      'import type { TenantTableSpec } from "./components";\n\n' +
        "export const TENANT_TABLES: readonly TenantTableSpec[] = [];\n",
    );
    const { steps } = await stack.harness.up({ ...stack.options, programDir: revision });
    fs.rmSync(revision, { recursive: true, force: true });
    expect(steps.filter((s) => s.op === "delete").map((s) => s.name)).toContain(
      "rls on public.projects",
    );
    const { rows } = await withClient(appUrl(), (c) =>
      c.query("select relrowsecurity from pg_class where oid = 'public.projects'::regclass"),
    );
    expect(rows).toEqual([{ relrowsecurity: true }]);
    const config = getClientConfig(stack.connections!.authenticator, "orgstack live test");
    const visible = await withApiRequest(config, ada, async (c) => {
      const result = await c.query("select count(*)::int as n from public.projects");
      return result.rows[0].n;
    });
    expect(visible).toBe(0);
  });
});
