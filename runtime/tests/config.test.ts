import { assertEquals, assertThrowsMessage } from "./_assert.ts";
import { readRuntimeConfig } from "../config.ts";
import { getFunctionEnv } from "../gateway.ts";
import { getFunctionArgs } from "../function-process.ts";
import { getRateLimitSubject } from "../rate-limit.ts";

Deno.test("readRuntimeConfig lists every missing or bad variable without showing secrets", () => {
  assertThrowsMessage(
    () => readRuntimeConfig({ PORT: "http", ORGSTACK_JWKS_URL: "not a url" }),
    [
      "Invalid edge runtime environment:",
      `  - 'PORT' is "http". Use a port number from 0 to 65535.`,
      "  - 'ORGSTACK_FUNCTIONS_DIR' is not set. Set it to the folder holding <name>/index.ts and _shared/.",
      "  - 'ORGSTACK_FUNCTIONS_MANIFEST' is not set. Set it to the manifest JSON the stack writes.",
      "  - 'ORGSTACK_JWT_SECRET' is not set. Set it to the stack's JWT secret (HS256).",
      `  - 'ORGSTACK_JWKS_URL' is "not a url". Use an absolute https URL of a JWKS.`,
    ].join("\n"),
  );
});

Deno.test("readRuntimeConfig defaults the port to 8000 and drops a trailing slash", () => {
  const config = readRuntimeConfig({
    ORGSTACK_FUNCTIONS_DIR: "/srv/functions/",
    ORGSTACK_FUNCTIONS_MANIFEST: "/srv/manifest.json",
    ORGSTACK_JWT_SECRET: "s",
  });
  assertEquals(
    { port: config.port, dir: config.functionsDir, db: config.databaseUrl },
    { port: 8000, dir: "/srv/functions", db: undefined },
  );
});

Deno.test("getFunctionEnv keeps only declared names that are set, and marks the gateway", () => {
  assertEquals(getFunctionEnv(["A", "MISSING"], { A: "1", B: "2" }), {
    A: "1",
    ORGSTACK_BEHIND_GATEWAY: "1",
  });
});

Deno.test("getFunctionArgs limits reads to the function and _shared, and caps the heap", () => {
  const args = getFunctionArgs({
    name: "echo",
    functionsDir: "/srv/functions",
    memoryLimitMb: 150,
    env: {},
    hostPath: "/srv/runtime/function-host.ts",
  });
  assertEquals(args, [
    "run",
    "--no-prompt",
    "--allow-net",
    "--allow-env",
    "--allow-read=/srv/functions/echo,/srv/functions/_shared",
    "--v8-flags=--max-old-space-size=150,--max-semi-space-size=1",
    "/srv/runtime/function-host.ts",
    "/srv/functions/echo/index.ts",
  ]);
});

Deno.test("getRateLimitSubject keys users by id and anonymous callers by address", async () => {
  assertEquals(await getRateLimitSubject("u1", "10.0.0.1"), "user:u1");
  assertEquals(await getRateLimitSubject(null, "10.0.0.1"), "ip:10.0.0.1");
});

Deno.test("getRateLimitSubject hashes a sub the bucket table would refuse", async () => {
  // Expected digests from sha256sum, not from the code under test.
  const cases: [string, string][] = [
    ["x".repeat(300), "0d4e2ca9e9cbced7a7a5380eb29e1a3783b9b6d0db72de36a1051038e1c1fbc7"],
    ["a\u0000b", "59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138"],
    // A sub that looks hashed is hashed too, so it cannot take another caller's bucket.
    ["sha256:abc", "67e9bc3cfd2163c2978358dfe00d2f912cd4ee0c99f077c3583b39b48aebb124"],
  ];
  for (const [sub, hex] of cases) {
    assertEquals(await getRateLimitSubject(sub, "10.0.0.1"), `user:sha256:${hex}`, sub);
  }
  const longest = "y".repeat(195); // "user:" + 195 = 200, the check's limit
  assertEquals(await getRateLimitSubject(longest, "10.0.0.1"), `user:${longest}`);
});
