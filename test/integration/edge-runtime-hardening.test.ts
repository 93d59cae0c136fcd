/**
 * Defects found by running the gateway, each shown fixed with real Deno and a deployed backend:
 * claims beyond Latin-1, subjects PostgreSQL would refuse, Object.prototype names as routes,
 * the per-process token leaking into functions, a body that never arrives, Vary on CORS.
 */
import * as net from "net";
import { withClient } from "../../components/lib/pg";
import { deployBackend } from "../../tools/testing/deploy";
import {
  createAuthenticatorLogin,
  FIXTURE_FUNCTIONS_DIR,
  signTestToken,
  startEdgeRuntime,
  type EdgeRuntime,
} from "../../tools/testing/edge-runtime";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

const SECRET = "edge-runtime-hardening-test-secret-012345678";
const APP = "https://app.example.com";
const TIMEOUT_MS = 1_000;

let database: TestDatabase;
let authenticator: { url: string; drop(): Promise<void> };
let runtime: EdgeRuntime;

beforeAll(async () => {
  database = await createTestDatabase("orgstack_edge_hard");
  await deployBackend(database);
  authenticator = await createAuthenticatorLogin(database);
  runtime = await startEdgeRuntime({
    functionsDir: FIXTURE_FUNCTIONS_DIR,
    functions: {
      echo: {
        auth: "user",
        corsOrigins: [APP],
        timeoutMs: TIMEOUT_MS,
        rateLimit: { requests: 100, perSeconds: 60 },
      },
    },
    jwtSecret: SECRET,
    databaseUrl: authenticator.url,
  });
});

afterAll(async () => {
  await runtime?.stop();
  await authenticator?.drop();
  await database?.drop();
});

function callEcho(claims: Record<string, unknown>, headers: Record<string, string> = {}) {
  const token = signTestToken(
    { alg: "HS256", secret: SECRET },
    { role: "authenticated", ...claims },
  );
  return fetch(`${runtime.url}/functions/v1/echo`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
}

async function readRows(ids: readonly string[]): Promise<Record<string, unknown>[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rows } = await withClient(database.url, (c) =>
      c.query(
        `select request_id, user_id, status from ops.function_invocations
          where request_id = any($1) order by id`,
        [ids],
      ),
    );
    if (rows.length === ids.length) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Invocation rows for ${ids.join(", ")} did not appear within 5 s.`);
}

describe("claims and subjects", () => {
  it("forwards claims with characters beyond Latin-1 to a rate-limited function unchanged", async () => {
    const metadata = { full_name: "李雷 🙂", city: "Zürich" };
    const response = await callEcho({ sub: "u-unicode", user_metadata: metadata });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { claims: Record<string, unknown> };
    expect(body.claims).toMatchObject({ sub: "u-unicode", user_metadata: metadata });
  });

  it("serves subs the tables would refuse (NUL, 300 chars) and keeps logging later calls", async () => {
    const subs = ["nul\u0000sub", "s".repeat(300), "u-after"];
    const ids: string[] = [];
    for (const sub of subs) {
      const response = await callEcho({ sub });
      await response.arrayBuffer();
      expect([sub.slice(0, 10), response.status]).toEqual([sub.slice(0, 10), 200]);
      ids.push(response.headers.get("x-request-id")!);
    }
    expect(await readRows(ids)).toEqual([
      { request_id: ids[0], user_id: "nulsub", status: 200 },
      { request_id: ids[1], user_id: "s".repeat(200), status: 200 },
      { request_id: ids[2], user_id: "u-after", status: 200 },
    ]);
  });
});

describe("routes and headers", () => {
  it.each(["constructor", "toString", "hasOwnProperty"])(
    "answers /functions/v1/%s with a JSON 404 and writes no row",
    async (name) => {
      const response = await fetch(`${runtime.url}/functions/v1/${name}`, {
        method: "POST",
        headers: { origin: APP },
      });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        "function_not_found",
      );
      const { rows } = await withClient(database.url, (c) =>
        c.query(
          "select count(*)::int as n from ops.function_invocations where function_name = $1",
          [name],
        ),
      );
      expect(rows).toEqual([{ n: 0 }]);
    },
  );

  it("does not show a function the gateway's per-process token", async () => {
    const response = await callEcho({ sub: "u-token" });
    expect(await response.json()).toMatchObject({ gatewayToken: null, claims: { sub: "u-token" } });
  });

  it("varies on Origin for every response of a function with exact origins", async () => {
    const origins: Record<string, string>[] = [
      {},
      { origin: APP },
      { origin: "https://evil.example.net" },
    ];
    for (const headers of origins) {
      const response = await callEcho({ sub: "u-vary" }, headers);
      await response.arrayBuffer();
      expect(response.headers.get("vary")).toBe("Origin");
    }
  });
});

describe("slow bodies", () => {
  it("answers a body that stops arriving with a JSON 408 after the function's timeout", async () => {
    const token = signTestToken(
      { alg: "HS256", secret: SECRET },
      { role: "authenticated", sub: "u-slow" },
    );
    const { port } = new URL(runtime.url);
    const started = Date.now();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1");
      let text = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => {
        text += chunk;
        // The JSON error is the whole answer (Deno keeps the socket open for the unread body).
        if (text.endsWith("}}")) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
      socket.setTimeout(10_000, () => socket.destroy(new Error(`No answer within 10 s: ${text}`)));
      socket.write(
        `POST /functions/v1/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
          `Authorization: Bearer ${token}\r\nContent-Length: 500\r\n\r\nab`,
      );
    });
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(reply).toContain('"code":"request_timeout"');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 3_000);
  });
});
