/**
 * The edge runtime's HTTP surface, with real Deno: routing, methods, request ids, CORS decided
 * by the gateway (preflight before any function code runs), and the body limit enforced while
 * the body streams in.
 */
import {
  FIXTURE_FUNCTIONS_DIR,
  startEdgeRuntime,
  type EdgeRuntime,
} from "../../tools/testing/edge-runtime";

/** A JSON reply: the gateway's error or a fixture's fields. */
interface Reply {
  readonly error?: { readonly code: string; readonly message: string; readonly requestId: string };
  readonly [field: string]: unknown;
}

async function readJson(response: Response): Promise<Reply> {
  return (await response.json()) as Reply;
}

const APP = "https://app.example.com";
const BODY_LIMIT = 64 * 1024;
let runtime: EdgeRuntime;

beforeAll(async () => {
  runtime = await startEdgeRuntime({
    functionsDir: FIXTURE_FUNCTIONS_DIR,
    functions: {
      echo: {
        auth: "none",
        methods: ["POST", "PUT"],
        corsOrigins: [APP],
        bodyLimitBytes: BODY_LIMIT,
      },
      "auth-none": { auth: "none", methods: ["GET"], corsOrigins: ["*"] },
      // Answers 500 to every request its code sees: a 204 preflight proves no code ran.
      throws: { auth: "none", corsOrigins: [APP] },
    },
    jwtSecret: "edge-runtime-http-test-secret-0123456789abcdef",
  });
});

afterAll(() => runtime?.stop());

function url(path: string): string {
  return `${runtime.url}${path}`;
}

describe("routing", () => {
  it("answers /health itself", async () => {
    const response = await fetch(url("/health"));
    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({ status: "ok" });
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(["/functions/v1/missing", "/functions/v1/_shared", "/elsewhere", "/functions/v1/"])(
    "answers %s with a JSON 404",
    async (path) => {
      const response = await fetch(url(path), { method: "POST" });
      expect(response.status).toBe(404);
      expect(await readJson(response)).toEqual({
        error: {
          code: "function_not_found",
          message: `No function is served at ${JSON.stringify(path)}. Call /functions/v1/<name> with a deployed function's name.`,
          requestId: response.headers.get("x-request-id"),
        },
      });
    },
  );

  it("passes the sub-path and query to the function as /<name>/<sub-path>", async () => {
    const response = await fetch(url("/functions/v1/echo/orders/42?expand=items"), {
      method: "PUT",
    });
    expect(await readJson(response)).toMatchObject({
      method: "PUT",
      path: "/echo/orders/42?expand=items",
    });
  });

  it("gives the function the same request id the caller gets, and the caller's real address", async () => {
    const response = await fetch(url("/functions/v1/echo"), {
      method: "POST",
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    const body = await readJson(response);
    expect(body.requestId).toBe(response.headers.get("x-request-id"));
    // The forged address the caller sent is replaced, never passed on.
    expect(body.forwardedFor).toBe("127.0.0.1");
  });

  it("refuses a method the function does not declare with 405 and Allow", async () => {
    const response = await fetch(url("/functions/v1/echo"), { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST, PUT, OPTIONS");
    expect((await readJson(response)).error).toMatchObject({
      code: "method_not_allowed",
      message: "Method DELETE is not allowed here. Use POST, PUT.",
    });
  });
});

describe("CORS", () => {
  function preflight(path: string, origin: string): Promise<Response> {
    return fetch(url(path), {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "Content-Type, X-Trace",
      },
    });
  }

  it("answers a preflight from a declared origin without running the function", async () => {
    const response = await preflight("/functions/v1/throws", APP);
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "access-control-allow-origin": APP,
      "access-control-allow-methods": "POST, OPTIONS",
      "access-control-allow-headers": "authorization, x-client-info, apikey, content-type, x-trace",
      "access-control-max-age": "7200",
      vary: "Origin",
    });
  });

  it("refuses a preflight from another origin with 403 and no CORS headers", async () => {
    const response = await preflight("/functions/v1/echo", "https://evil.example.net");
    expect(response.status).toBe(403);
    expect([...response.headers.keys()].filter((h) => h.startsWith("access-control-"))).toEqual([]);
    expect((await readJson(response)).error).toMatchObject({
      code: "cors_origin_not_allowed",
      message:
        'Origin "https://evil.example.net" may not call this function. Ask for it to be added to the function\'s corsOrigins.',
    });
  });

  it("puts CORS headers on a declared origin's response and on error responses", async () => {
    const ok = await fetch(url("/functions/v1/echo"), { method: "POST", headers: { origin: APP } });
    expect(ok.headers.get("access-control-allow-origin")).toBe(APP);
    const refused = await fetch(url("/functions/v1/echo"), {
      method: "GET",
      headers: { origin: APP },
    });
    expect(refused.status).toBe(405);
    expect(refused.headers.get("access-control-allow-origin")).toBe(APP);
  });

  it("removes the CORS headers a function sets itself for an undeclared origin", async () => {
    // The fixture's respondJson sets access-control-allow-origin: *, as Supabase examples do.
    const response = await fetch(url("/functions/v1/echo"), {
      method: "POST",
      headers: { origin: "https://evil.example.net" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers any origin with * when the function declares ['*']", async () => {
    const response = await fetch(url("/functions/v1/auth-none"), {
      headers: { origin: "https://x.test" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("body limit", () => {
  it("passes a body at the limit", async () => {
    const response = await fetch(url("/functions/v1/echo"), {
      method: "POST",
      body: new Uint8Array(BODY_LIMIT),
    });
    expect(await readJson(response)).toMatchObject({ bodyBytes: BODY_LIMIT });
  });

  it("refuses a declared Content-Length over the limit with a JSON 413", async () => {
    const response = await fetch(url("/functions/v1/echo"), {
      method: "POST",
      body: new Uint8Array(BODY_LIMIT + 1),
    });
    expect(response.status).toBe(413);
    expect(await readJson(response)).toEqual({
      error: {
        code: "body_too_large",
        message: `The request body is larger than this function's limit of ${BODY_LIMIT} bytes.`,
        requestId: response.headers.get("x-request-id"),
      },
    });
  });

  it("cuts off a streamed body without Content-Length once it passes the limit", async () => {
    // A slow sender of 4 MiB in 16 KiB chunks: a gateway that waited for the whole body (or
    // trusted a missing Content-Length) would see all of it before answering.
    const chunk = new Uint8Array(16 * 1024);
    const total = 4 * 1024 * 1024;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= total) return controller.close();
        await new Promise((resolve) => setTimeout(resolve, 2));
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(url("/functions/v1/echo"), {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect((await readJson(response)).error?.code).toBe("body_too_large");
    expect(sent).toBeLessThan(total / 4);
  });
});
