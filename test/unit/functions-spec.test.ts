import {
  EdgeFunctionError,
  validateEdgeFunctionSpec,
  type EdgeFunctionSpec,
} from "../../components/functions/spec";

/** The full message `spec` is refused with. */
function messageOf(spec: EdgeFunctionSpec): string {
  try {
    validateEdgeFunctionSpec(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(EdgeFunctionError);
    return (error as Error).message;
  }
  throw new Error("Expected the declaration to be refused.");
}

describe("validateEdgeFunctionSpec", () => {
  it("fills in every default: user auth, POST, no CORS, 6 MiB, no rate limit, 10 s, 150 MB, no env", () => {
    expect(validateEdgeFunctionSpec({ name: "invite-member" })).toEqual({
      name: "invite-member",
      settings: {
        auth: "user",
        methods: ["POST"],
        corsOrigins: [],
        bodyLimitBytes: 6291456,
        rateLimit: null,
        timeoutMs: 10000,
        memoryLimitMb: 150,
        env: [],
      },
    });
  });

  it("keeps every declared setting", () => {
    const spec: EdgeFunctionSpec = {
      name: "health",
      auth: "none",
      methods: ["GET", "HEAD"],
      corsOrigins: ["https://app.example.com", "http://localhost:3000"],
      bodyLimitBytes: 1024,
      rateLimit: { requests: 10, perSeconds: 60 },
      timeoutMs: 2000,
      memoryLimitMb: 64,
      env: ["SUPABASE_URL", "STRIPE_KEY"],
    };
    const { name, ...settings } = spec;
    expect(validateEdgeFunctionSpec(spec)).toEqual({ name, settings });
  });

  it("accepts the wildcard origin alone", () => {
    const { settings } = validateEdgeFunctionSpec({ name: "a", corsOrigins: ["*"] });
    expect(settings.corsOrigins).toEqual(["*"]);
  });

  it("lists every problem at once, naming each key and value and what is allowed", () => {
    const spec = {
      name: "invite",
      auth: "admin",
      methods: ["POST", "OPTIONS", "post", "POST"],
      corsOrigins: ["https://app.example.com/", "app.example.com", "ftp://files.example.com"],
      bodyLimitBytes: 6.5,
      rateLimit: { requests: 0, perSeconds: 60, burst: 5 },
      timeoutMs: 10,
      memoryLimitMb: 8192,
      env: ["SUPABASE_URL", "ORGSTACK_JWT_SECRET", "lower", "SUPABASE_URL"],
      timeout: 5000,
    } as unknown as EdgeFunctionSpec;
    expect(messageOf(spec)).toBe(
      [
        "Invalid EdgeFunction 'invite':",
        "  - 'timeout' is not a known setting. Allowed settings: name, auth, methods, corsOrigins, bodyLimitBytes, rateLimit, timeoutMs, memoryLimitMb, env.",
        `  - 'auth': expected one of "none", "anon", "user", "service"; found "admin".`,
        `  - 'methods[1]': "OPTIONS" is answered by the gateway from 'corsOrigins'; remove it.`,
        `  - 'methods[2]': expected one of "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"; found "post".`,
        `  - 'methods[3]': "POST" is listed twice.`,
        `  - 'corsOrigins[0]': expected an origin such as "https://app.example.com" (scheme, host and port only, no path or trailing '/'); found "https://app.example.com/".`,
        `  - 'corsOrigins[1]': expected an origin such as "https://app.example.com" (scheme, host and port only, no path or trailing '/'); found "app.example.com".`,
        `  - 'corsOrigins[2]': expected an origin such as "https://app.example.com" (scheme, host and port only, no path or trailing '/'); found "ftp://files.example.com".`,
        "  - 'bodyLimitBytes': expected an integer from 1 to 104857600; found 6.5.",
        "  - 'timeoutMs': expected an integer from 100 to 150000; found 10.",
        "  - 'memoryLimitMb': expected an integer from 32 to 4096; found 8192.",
        "  - 'rateLimit.requests': expected an integer from 1 to 1000000; found 0.",
        "  - 'rateLimit.burst' is not a known setting. Allowed: requests, perSeconds.",
        `  - 'env[1]': "ORGSTACK_JWT_SECRET" is the runtime's own variable; names starting with 'ORGSTACK_' are never given to a function.`,
        `  - 'env[2]': expected a variable name of uppercase letters, digits and '_'; found "lower".`,
        `  - 'env[3]': "SUPABASE_URL" is listed twice.`,
      ].join("\n"),
    );
  });

  it.each([
    ["_shared", `"_shared"`],
    ["my function", `"my function"`],
    ["9lives", `"9lives"`],
    ["a".repeat(64), `"${"a".repeat(64)}"`],
  ])("refuses the name %s", (name, shown) => {
    expect(messageOf({ name })).toBe(
      [
        `Invalid EdgeFunction '${name}':`,
        `  - 'name': expected a folder name of 1-63 letters, digits, '_' or '-', starting with a letter (folders starting with '_' are shared code); found ${shown}.`,
      ].join("\n"),
    );
  });

  it("refuses an empty method list, a wildcard among origins and a rate limit that is no object", () => {
    expect(
      messageOf({
        name: "a",
        methods: [],
        corsOrigins: ["*", "https://app.example.com"],
        rateLimit: 5 as unknown as null,
      }),
    ).toBe(
      [
        "Invalid EdgeFunction 'a':",
        "  - 'methods': expected a non-empty list such as [\"POST\"]; found [].",
        `  - 'corsOrigins': "*" allows every origin and cannot be listed with others.`,
        `  - 'rateLimit': expected null or { requests, perSeconds } such as { "requests": 60, "perSeconds": 60 }; found 5.`,
      ].join("\n"),
    );
  });
});
