import { withClient } from "../../components/lib/pg";
import { deployBackend } from "../../tools/testing/deploy";
import {
  createAuthenticatorLogin,
  FIXTURE_FUNCTIONS_DIR,
  startEdgeRuntime,
  type EdgeRuntime,
} from "../../tools/testing/edge-runtime";
import {
  createLoginRole,
  createTestDatabase,
  type TestDatabase,
  type TestLoginRole,
} from "../../tools/testing/test-database";
import { getMonitorRoleSpec, quietChecksExcept } from "./health-fixtures";

/** The ops suites' token: long enough for the runtime's check, distinctive enough to grep logs for. */
export const METRICS_TOKEN = "ops-test-token-5f0c2a9e7b3d41e8a6c4b2d0f9e8d7c6";
export const JWT_SECRET = "ops-test-jwt-secret-of-at-least-32-characters";

/** A deployed backend, its monitor and authenticator logins, and a runtime serving /metrics. */
export interface OpsStack {
  readonly database: TestDatabase;
  readonly monitor: TestLoginRole;
  readonly runtime: EdgeRuntime;
  /** Every JSON line the runtime logged so far. */
  readonly logs: string[];
  stop(): Promise<void>;
}

/** Functions the suites call: one that answers 200, one that throws (500). */
const FUNCTIONS = { echo: { auth: "none" as const }, throws: { auth: "none" as const } };

export async function startOpsStack(): Promise<OpsStack> {
  const database = await createTestDatabase("orgstack_ops");
  await deployBackend(database);
  await quietChecksExcept(database.url, ["database_size"]);
  const monitor = await createLoginRole(database, getMonitorRoleSpec());
  const authenticator = await createAuthenticatorLogin(database);
  const logs: string[] = [];
  const runtime = await startEdgeRuntime({
    functionsDir: FIXTURE_FUNCTIONS_DIR,
    functions: FUNCTIONS,
    jwtSecret: JWT_SECRET,
    databaseUrl: authenticator.url,
    env: { ORGSTACK_METRICS_TOKEN: METRICS_TOKEN, ORGSTACK_MONITOR_DATABASE_URL: monitor.url },
    onLog: (line) => logs.push(line),
  });
  return {
    database,
    monitor,
    runtime,
    logs,
    stop: async () => {
      await runtime.stop();
      await authenticator.drop();
      await monitor.drop();
      await database.drop();
    },
  };
}

/** Calls a fixture function and waits until its invocation row is written (batched every 200 ms). */
export async function callFunction(stack: OpsStack, name: string): Promise<number> {
  const response = await fetch(`${stack.runtime.url}/functions/v1/${name}`, { method: "POST" });
  await response.arrayBuffer();
  const requestId = response.headers.get("x-request-id");
  for (let i = 0; i < 100; i++) {
    const { rows } = await withClient(stack.database.url, (c) =>
      c.query("select 1 from ops.function_invocations where request_id = $1", [requestId]),
    );
    if (rows.length > 0) return response.status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`No invocation row for ${name} (request ${requestId}) after 5 s.`);
}

/** Statements on the admin connection (provoking states the monitor must then see). */
export async function runAsAdmin(stack: OpsStack, sql: string, params: unknown[] = []) {
  return withClient(stack.database.url, async (c) => (await c.query(sql, params)).rows);
}
