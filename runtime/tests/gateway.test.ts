import { assertEquals } from "./_assert.ts";
import { createTokenVerifier } from "../auth.ts";
import { Gateway } from "../gateway.ts";
import { InvocationLog } from "../invocation-log.ts";
import type { FunctionSettings } from "../manifest.ts";

const SETTINGS: FunctionSettings = {
  auth: "none",
  methods: ["POST"],
  corsOrigins: ["https://app.example.com"],
  bodyLimitBytes: 1_000,
  rateLimit: null,
  timeoutMs: 300,
  memoryLimitMb: 64,
  env: [],
};

const INFO = {
  remoteAddr: { transport: "tcp", hostname: "10.0.0.2", port: 1 },
  completed: Promise.resolve(),
} as unknown as Deno.ServeHandlerInfo;

/** A gateway whose requests never reach a process: each test stops before the function runs. */
function createGateway(maxInFlight?: number): Gateway {
  return new Gateway({
    manifest: { functions: { echo: SETTINGS } },
    functionsDir: "/nonexistent",
    hostPath: "/nonexistent/function-host.ts",
    verifier: createTokenVerifier({ jwtSecret: "unit-test-secret-0123456789abcdef0123456789" }),
    database: null,
    log: new InvocationLog(null),
    env: {},
    maxInFlight,
  });
}

/** Two bytes of a larger body, then nothing: holds a request in its body read. */
function trickle(): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (c) => c.enqueue(new Uint8Array(2)) });
}

Deno.test("names of Object.prototype are 404s like any unknown function, always JSON", async () => {
  const gateway = createGateway();
  for (const name of ["constructor", "toString", "hasOwnProperty", "__proto__", "valueOf"]) {
    for (const headers of [new Headers(), new Headers({ origin: "https://app.example.com" })]) {
      const request = new Request(`http://g/functions/v1/${name}`, { method: "POST", headers });
      const response = await gateway.handle(request, INFO);
      const body = await response.json();
      assertEquals([response.status, body.error.code], [404, "function_not_found"], name);
    }
  }
});

Deno.test("sheds requests past the in-flight cap with a JSON 503 and Retry-After", async () => {
  const gateway = createGateway(1);
  const slow = gateway.handle(
    new Request("http://g/functions/v1/echo", { method: "POST", body: trickle() }),
    INFO,
  );
  const shed = await gateway.handle(
    new Request("http://g/functions/v1/echo", { method: "POST", body: "{}" }),
    INFO,
  );
  assertEquals(
    [shed.status, shed.headers.get("retry-after"), (await shed.json()).error.code],
    [503, "1", "gateway_busy"],
  );
  const first = await slow;
  assertEquals([first.status, (await first.json()).error.code], [408, "request_timeout"]);
  // The slot is free again: the next request is served (here, refused for its method).
  const next = await gateway.handle(new Request("http://g/functions/v1/echo"), INFO);
  assertEquals(next.status, 405);
  await next.body?.cancel();
});

Deno.test("answers Vary: Origin on every response of a function with exact origins", async () => {
  const gateway = createGateway();
  const response = await gateway.handle(new Request("http://g/functions/v1/echo"), INFO);
  await response.body?.cancel();
  assertEquals([response.status, response.headers.get("vary")], [405, "Origin"]);
});
