import { buildRuntimeManifest, renderRuntimeManifest } from "../../components/functions/manifest";
import { EdgeFunctionError, validateEdgeFunctionSpec } from "../../components/functions/spec";

describe("buildRuntimeManifest", () => {
  it("holds each function's settings under its name, in name order, as the contract has them", () => {
    const manifest = buildRuntimeManifest([
      validateEdgeFunctionSpec({
        name: "invite-member",
        rateLimit: { requests: 5, perSeconds: 60 },
      }),
      validateEdgeFunctionSpec({
        name: "health",
        auth: "none",
        methods: ["GET"],
        corsOrigins: ["*"],
      }),
    ]);
    expect(renderRuntimeManifest(manifest)).toBe(
      `{
  "functions": {
    "health": {
      "auth": "none",
      "methods": [
        "GET"
      ],
      "corsOrigins": [
        "*"
      ],
      "bodyLimitBytes": 6291456,
      "rateLimit": null,
      "timeoutMs": 10000,
      "memoryLimitMb": 150,
      "env": []
    },
    "invite-member": {
      "auth": "user",
      "methods": [
        "POST"
      ],
      "corsOrigins": [],
      "bodyLimitBytes": 6291456,
      "rateLimit": {
        "requests": 5,
        "perSeconds": 60
      },
      "timeoutMs": 10000,
      "memoryLimitMb": 150,
      "env": []
    }
  }
}
`,
    );
  });

  it("is empty without functions", () => {
    expect(buildRuntimeManifest([])).toEqual({ functions: {} });
  });

  it("refuses a function declared twice", () => {
    const health = validateEdgeFunctionSpec({ name: "health" });
    let caught: unknown;
    try {
      buildRuntimeManifest([health, validateEdgeFunctionSpec({ name: "a" }), health]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EdgeFunctionError);
    expect((caught as Error).message).toBe(
      [
        "Invalid EdgeFunction 'health':",
        `  - 'name': "health" is declared 2 times; declare each function once.`,
      ].join("\n"),
    );
  });
});
