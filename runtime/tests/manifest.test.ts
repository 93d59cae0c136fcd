import { assertEquals, assertThrowsMessage } from "./_assert.ts";
import { validateManifest, validateRateLimitDatabase, type FunctionSettings } from "../manifest.ts";

const VALID: FunctionSettings = {
  auth: "user",
  methods: ["POST"],
  corsOrigins: ["https://app.example.com"],
  bodyLimitBytes: 6291456,
  rateLimit: { requests: 10, perSeconds: 60 },
  timeoutMs: 10000,
  memoryLimitMb: 150,
  env: ["SUPABASE_URL"],
};

Deno.test("validateManifest returns a valid manifest unchanged", () => {
  const manifest = { functions: { "invite-member": VALID } };
  assertEquals(validateManifest(manifest, "m.json"), manifest);
});

Deno.test("validateManifest lists every problem, naming the function, key and value", () => {
  const bad = {
    functions: {
      echo: { ...VALID, auth: "admin", methods: ["post"], corsOrigins: ["*", "https://a.test"] },
      _shared: { ...VALID, rateLimit: { requests: 0, perSeconds: 1.5 }, env: ["A-B"] },
      hangs: { ...VALID, timeoutMs: "10s", memoryLimitMb: 8, bodyLimitBytes: -1 },
    },
  };
  assertThrowsMessage(
    () => validateManifest(bad, "/etc/orgstack/manifest.json"),
    [
      "Invalid functions manifest '/etc/orgstack/manifest.json':",
      `  - 'functions.echo.auth' is "admin". Use one of "none", "anon", "user", "service".`,
      `  - 'functions.echo.methods[0]' is "post". Use uppercase methods like "POST".`,
      `  - 'functions.echo.corsOrigins' mixes "*" with origins. Use ["*"] alone.`,
      "  - 'functions._shared' is not a function name. Use letters, digits, '-' or '_'.",
      "  - 'functions._shared.rateLimit.requests' is 0. Use a whole number of at least 1.",
      "  - 'functions._shared.rateLimit.perSeconds' is 1.5. Use a whole number of at least 1.",
      `  - 'functions._shared.env[0]' is "A-B". Use environment variable names.`,
      "  - 'functions.hangs.bodyLimitBytes' is -1. Use a whole number of at least 0.",
      `  - 'functions.hangs.timeoutMs' is "10s". Use a whole number of at least 1.`,
      "  - 'functions.hangs.memoryLimitMb' is 8. Use a whole number of at least 16.",
    ].join("\n"),
  );
});

Deno.test("validateManifest refuses a manifest without functions", () => {
  assertThrowsMessage(
    () => validateManifest({ fns: {} }, "m.json"),
    "Invalid functions manifest 'm.json':\n  - 'functions' is nothing. Use an object keyed by function name.",
  );
});

Deno.test(
  "validateRateLimitDatabase names the rate-limited functions when no database is set",
  () => {
    const manifest = { functions: { a: VALID, b: { ...VALID, rateLimit: null } } };
    assertThrowsMessage(
      () => validateRateLimitDatabase(manifest, false),
      "'functions.a.rateLimit' needs PostgreSQL, but 'ORGSTACK_DATABASE_URL' is not set. Set it to the stack's authenticator URL.",
    );
    validateRateLimitDatabase(manifest, true);
    validateRateLimitDatabase({ functions: { b: { ...VALID, rateLimit: null } } }, false);
  },
);
