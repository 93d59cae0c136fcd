import { assertEquals } from "./_assert.ts";
import type { OpsDatabase } from "../database.ts";
import { type Invocation, InvocationLog, sanitizeInvocation } from "../invocation-log.ts";

function invocation(requestId: string, userId: string | null = null): Invocation {
  const row = { functionName: "echo", status: 200, durationMs: 1, bootMs: null, errorCode: null };
  return { ...row, requestId, userId };
}

/**
 * Stands in for PostgreSQL: refuses (SQLSTATE 23514) any statement holding a user id that
 * starts with "refused", or fails every statement without a SQLSTATE while `down`.
 */
function createFakeDatabase(): OpsDatabase & { written: string[]; down: boolean } {
  const fake = {
    written: [] as string[],
    down: false,
    query<T>(_text: string, values: readonly unknown[]): Promise<readonly T[]> {
      if (fake.down) return Promise.reject(new Error("connect ECONNREFUSED"));
      const [requestIds, userIds] = [values[4] as string[], values[5] as (string | null)[]];
      if (userIds.some((u) => u?.startsWith("refused"))) {
        return Promise.reject(
          Object.assign(new Error("violates check constraint"), { code: "23514" }),
        );
      }
      fake.written.push(...requestIds);
      return Promise.resolve([]);
    },
    end: () => Promise.resolve(),
  };
  return fake;
}

Deno.test(
  "a row the database refuses is dropped alone; the rows around it and later are written",
  async () => {
    const database = createFakeDatabase();
    const log = new InvocationLog(database);
    log.record(invocation("r1", "u1"));
    log.record(invocation("r2", "refused-by-a-check"));
    log.record(invocation("r3"));
    await log.flush();
    log.record(invocation("r4", "u1"));
    await log.flush();
    assertEquals(database.written, ["r1", "r3", "r4"]);
  },
);

Deno.test(
  "rows are kept while the database is unreachable and written once it is back",
  async () => {
    const database = createFakeDatabase();
    const log = new InvocationLog(database);
    database.down = true;
    log.record(invocation("r1"));
    log.record(invocation("r2"));
    await log.flush();
    assertEquals(database.written, []);
    database.down = false;
    await log.flush();
    assertEquals(database.written, ["r1", "r2"]);
  },
);

Deno.test("sanitizeInvocation strips U+0000 and caps the text columns", () => {
  const row = sanitizeInvocation({
    ...invocation("r1", `a\u0000b${"x".repeat(300)}`),
    errorCode: "e".repeat(150),
  });
  assertEquals(row.userId, `ab${"x".repeat(198)}`);
  assertEquals(row.errorCode, "e".repeat(100));
  assertEquals(row.functionName, "echo");
});
