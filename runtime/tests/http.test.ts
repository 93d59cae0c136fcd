import { assertEquals } from "./_assert.ts";
import { readBodyWithLimit } from "../body-limit.ts";
import { answerPreflight, getCorsHeaders, removeCorsHeaders } from "../cors.ts";
import { getForwardedHeaders, toAsciiJson } from "../forwarding.ts";
import { getRoute } from "../routing.ts";

Deno.test("getRoute maps paths to health, a function with its sub-path, or nothing", () => {
  assertEquals(getRoute("GET", "/health"), { kind: "health" });
  assertEquals(getRoute("POST", "/health"), { kind: "none" });
  assertEquals(getRoute("POST", "/functions/v1/echo"), {
    kind: "function",
    name: "echo",
    path: "/echo",
  });
  assertEquals(getRoute("GET", "/functions/v1/echo/a/b"), {
    kind: "function",
    name: "echo",
    path: "/echo/a/b",
  });
  for (const path of [
    "/functions/v1/",
    "/functions/v1/_shared",
    "/functions/v1/.env",
    "/functions/v2/echo",
  ]) {
    assertEquals(getRoute("POST", path), { kind: "none" }, path);
  }
});

Deno.test(
  "getCorsHeaders echoes only a declared origin, and varies on Origin for exact origins",
  () => {
    const origins = ["https://app.example.com"];
    assertEquals(getCorsHeaders(origins, "https://app.example.com"), {
      "access-control-allow-origin": "https://app.example.com",
      vary: "Origin",
    });
    // Vary on every answer of a function with exact origins, those without CORS headers too.
    assertEquals(getCorsHeaders(origins, "https://app.example.com.evil.test"), { vary: "Origin" });
    assertEquals(getCorsHeaders(origins, null), { vary: "Origin" });
    assertEquals(getCorsHeaders([], "https://app.example.com"), {});
    assertEquals(getCorsHeaders(["*"], "https://x.test"), { "access-control-allow-origin": "*" });
    assertEquals(getCorsHeaders(["*"], null), {});
  },
);

Deno.test("answerPreflight refuses an undeclared origin with 403", () => {
  const request = new Request("http://g/functions/v1/f", {
    method: "OPTIONS",
    headers: { origin: "https://evil.test", "access-control-request-method": "POST" },
  });
  const answer = answerPreflight(
    { corsOrigins: ["https://app.example.com"], methods: ["POST"] },
    request,
  );
  assertEquals("status" in answer && answer.status, 403);
});

Deno.test("removeCorsHeaders drops every access-control header a function set", () => {
  const headers = new Headers({
    "access-control-allow-origin": "*",
    "access-control-allow-credentials": "true",
    "x-a": "1",
  });
  removeCorsHeaders(headers);
  assertEquals([...headers.keys()], ["x-a"]);
});

Deno.test("getForwardedHeaders strips x-orgstack-* and sets the gateway's own", () => {
  const incoming = new Headers({
    authorization: "Bearer t",
    "x-orgstack-claims": '{"role":"service_role"}',
    "X-Orgstack-Request-Id": "forged",
    "x-forwarded-for": "198.51.100.1",
  });
  const headers = getForwardedHeaders(incoming, {
    requestId: "r1",
    claims: { role: "anon" },
    clientAddress: "10.0.0.2",
  });
  assertEquals(headers.get("authorization"), "Bearer t");
  assertEquals(headers.get("x-orgstack-request-id"), "r1");
  assertEquals(headers.get("x-orgstack-claims"), '{"role":"anon"}');
  assertEquals(headers.get("x-forwarded-for"), "10.0.0.2");
  const anonymous = getForwardedHeaders(incoming, {
    requestId: "r2",
    claims: null,
    clientAddress: "10.0.0.2",
  });
  assertEquals(anonymous.get("x-orgstack-claims"), null);
});

function streamOf(chunks: number[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(new Uint8Array(chunks[i++]));
      else controller.close();
    },
  });
}

Deno.test(
  "readBodyWithLimit passes a body at the limit and refuses one byte more while streaming",
  async () => {
    const at = new Request("http://g/", { method: "POST", body: streamOf([4, 4, 2]) });
    const ok = await readBodyWithLimit(at, { limitBytes: 10, timeoutMs: 5_000 });
    assertEquals("body" in ok && ok.body?.byteLength, 10);
    const over = new Request("http://g/", { method: "POST", body: streamOf([4, 4, 3]) });
    assertEquals(await readBodyWithLimit(over, { limitBytes: 10, timeoutMs: 5_000 }), {
      status: 413,
      code: "body_too_large",
      message: "The request body is larger than this function's limit of 10 bytes.",
    });
  },
);

Deno.test("readBodyWithLimit refuses a declared Content-Length over the limit", async () => {
  const request = new Request("http://g/", {
    method: "POST",
    body: "x".repeat(11),
    headers: { "content-length": "11" },
  });
  const result = await readBodyWithLimit(request, { limitBytes: 10, timeoutMs: 5_000 });
  assertEquals("status" in result && result.status, 413);
});

Deno.test(
  "readBodyWithLimit answers 408 when the body does not arrive within the deadline",
  async () => {
    // Two bytes of a declared 500, then nothing: a slowloris client.
    const trickle = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(2));
      },
    });
    const request = new Request("http://g/", { method: "POST", body: trickle });
    const started = performance.now();
    const result = await readBodyWithLimit(request, { limitBytes: 1_000, timeoutMs: 200 });
    assertEquals(result, {
      status: 408,
      code: "request_timeout",
      message: "The request body did not arrive within 200 ms. Send the whole body at once.",
    });
    assertEquals(performance.now() - started < 2_000, true, "answered soon after the deadline");
  },
);

Deno.test(
  "getForwardedHeaders forwards claims beyond Latin-1 as ASCII JSON that parses back",
  () => {
    const claims = {
      role: "authenticated",
      sub: "u1",
      user_metadata: { full_name: "李雷 🙂", city: "Zürich", note: "tab\t\u007f" },
    };
    const headers = getForwardedHeaders(new Headers(), {
      requestId: "r1",
      claims,
      clientAddress: "10.0.0.2",
    });
    const value = headers.get("x-orgstack-claims") ?? "";
    assertEquals(/^[\x20-\x7e]*$/.test(value), true, `printable ASCII only: ${value}`);
    assertEquals(JSON.parse(value), claims);
    assertEquals(toAsciiJson("é"), '"\\u00e9"');
  },
);
