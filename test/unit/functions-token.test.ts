import { spawnSync } from "child_process";
import * as path from "path";
import { getUserIdForEmail, signHs256Jwt } from "../../components/functions/tokens";
import { mintToken, parseTokenArgs, TokenError, type TokenSources } from "../../scripts/token";

const SECRET = "a-local-stack-secret-of-32-chars!";
/** uuid.uuid5(UUID("5b6d1f3e-2a47-4c1b-9e5d-0f8a7c3b2d19"), "alice@example.com"), by Python. */
const ALICE_ID = "d59dccb7-2c7c-5368-b43a-664a209370de";
const ROOT = path.resolve(__dirname, "../..");

/**
 * Verifies with jose, as the runtime does: jose is ESM-only, which Jest cannot load, so a
 * Node child process does it. Resolves to the payload or to the error's message.
 */
function verifyWithJose(token: string, secret: string, currentDate?: number): unknown {
  const script = `
    import { jwtVerify } from "jose";
    const [token, secret, at] = process.argv.slice(1);
    const options = at ? { currentDate: new Date(Number(at)) } : {};
    jwtVerify(token, new TextEncoder().encode(secret), options).then(
      (r) => console.log(JSON.stringify({ header: r.protectedHeader, payload: r.payload })),
      (e) => console.log(JSON.stringify({ error: e.message })),
    );`;
  const args = ["--input-type=module", "-e", script, token, secret, String(currentDate ?? "")];
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
  return JSON.parse(result.stdout);
}

const stackFile = (environment: string) => `config:\n  orgstack:environment: ${environment}\n`;
const sources = (environment = "local"): TokenSources => ({
  readStackFile: (stack) => (stack === "missing" ? undefined : stackFile(environment)),
  readJwtSecret: () => SECRET,
  now: () => 1_800_000_000,
});

function usageMessage(argv: string[]): string {
  try {
    parseTokenArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    return (error as Error).message;
  }
  throw new Error("Expected the arguments to be refused.");
}

const USAGE =
  "Invalid arguments. Usage: npm run token -- --email <email> [--stack <stack>] [--sub <uuid>] [--ttl <seconds>] | --role anon|service_role [--stack <stack>]";

describe("parseTokenArgs", () => {
  it("defaults to a one-hour user token on the local stack", () => {
    expect(parseTokenArgs(["--email", "alice@example.com"])).toEqual({
      stack: "local",
      role: "authenticated",
      email: "alice@example.com",
      sub: undefined,
      ttlSeconds: 3600,
    });
  });

  it("reads --flag=value as well", () => {
    expect(parseTokenArgs(["--role=anon", "--stack=pr-42"])).toMatchObject({
      stack: "pr-42",
      role: "anon",
    });
  });

  it("lists every bad flag at once, then the usage", () => {
    expect(
      usageMessage([
        "--emial",
        "a@b.co",
        "--stack",
        "--ttl",
        "0",
        "--sub",
        "42",
        "--stack=x",
        "--stack=y",
      ]),
    ).toBe(
      [
        USAGE,
        "  - '--emial' is not a known flag. Flags: --email, --stack, --role, --sub, --ttl.",
        "  - 'a@b.co' is not a known flag. Flags: --email, --stack, --role, --sub, --ttl.",
        "  - '--stack' needs a value.",
        "  - '--stack' is given twice.",
        "  - '--email' is required: the user the token is for, e.g. --email alice@example.com.",
        `  - '--sub': expected an auth.users id (a UUID); found "42".`,
        `  - '--ttl': expected whole seconds from 1 to 604800; found "0".`,
      ].join("\n"),
    );
  });

  it("refuses a bad address and role, and user flags on an API key", () => {
    expect(usageMessage(["--email", "alice"])).toBe(
      [USAGE, `  - '--email': expected an address like alice@example.com; found "alice".`].join(
        "\n",
      ),
    );
    expect(usageMessage(["--role", "admin", "--email", "a@b.co"])).toBe(
      [
        USAGE,
        `  - '--role': expected one of anon, authenticated, service_role; found "admin".`,
        "  - '--email' is only used for a user token; --role admin makes an API key.",
      ].join("\n"),
    );
  });
});

describe("mintToken", () => {
  it("signs a user token with the stack's secret, for the id derived from the email", () => {
    const args = parseTokenArgs(["--email", "Alice@Example.com", "--ttl", "60"]);
    const token = mintToken(args, sources());
    expect(verifyWithJose(token, SECRET, 1_800_000_030_000)).toEqual({
      header: { alg: "HS256", typ: "JWT" },
      payload: {
        iss: "orgstack",
        sub: ALICE_ID,
        aud: "authenticated",
        role: "authenticated",
        email: "alice@example.com",
        iat: 1_800_000_000,
        exp: 1_800_000_060,
      },
    });
  });

  it("makes an API key no other secret verifies", () => {
    const token = mintToken(parseTokenArgs(["--role", "service_role"]), sources("ephemeral"));
    expect(verifyWithJose(token, `${SECRET}x`)).toEqual({ error: "signature verification failed" });
    expect(verifyWithJose(token, SECRET)).toMatchObject({
      payload: { role: "service_role", iat: 1704067200, exp: 2524608000 },
    });
  });

  it.each(["staging", "production"])("refuses a %s stack", (environment) => {
    expect(() =>
      mintToken(parseTokenArgs(["--role", "anon", "--stack", "prod"]), sources(environment)),
    ).toThrow(
      `Stack 'prod' has environment "${environment}" in 'stacks/Pulumi.prod.yaml': tokens are minted only for "local" and "ephemeral" stacks. Staging and production users sign in through the project's auth.`,
    );
  });

  it("refuses a stack without a stack file", () => {
    expect(() =>
      mintToken(parseTokenArgs(["--role", "anon", "--stack", "missing"]), sources()),
    ).toThrow(
      "Stack 'missing' has no stack file 'stacks/Pulumi.missing.yaml'. Create the stack first (npm run up -- missing).",
    );
  });
});

describe("signHs256Jwt", () => {
  it("encodes the header and claims as base64url JSON", () => {
    const token = signHs256Jwt({ a: 1 }, "k");
    const [header, payload] = token.split(".");
    expect(JSON.parse(Buffer.from(header, "base64url").toString())).toEqual({
      alg: "HS256",
      typ: "JWT",
    });
    expect(JSON.parse(Buffer.from(payload, "base64url").toString())).toEqual({ a: 1 });
  });
});

describe("getUserIdForEmail", () => {
  it("is the version-5 UUID of the lowercased email", () => {
    expect(getUserIdForEmail("ALICE@example.com")).toBe(ALICE_ID);
  });
});

describe("scripts/token.ts", () => {
  const run = (args: string[]) =>
    spawnSync(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "scripts/token.ts", ...args],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, ORGSTACK_JWT_SECRET: SECRET },
      },
    );

  it("prints the token for the local stack and refuses production with exit code 1", () => {
    const local = run(["--email", "alice@example.com"]);
    expect(local.status).toBe(0);
    expect(verifyWithJose(local.stdout.trim(), SECRET)).toMatchObject({
      payload: { sub: ALICE_ID },
    });
    expect(local.stderr).toContain(
      `insert into auth.users (id, email) values ('${ALICE_ID}', 'alice@example.com');`,
    );
    const production = run(["--role", "anon", "--stack", "production"]);
    expect({ status: production.status, stdout: production.stdout }).toEqual({
      status: 1,
      stdout: "",
    });
    expect(production.stderr).toMatch(/^Stack 'production' has environment "production"/);
  });

  it("exits with 2 on bad flags", () => {
    expect(run(["--email"]).status).toBe(2);
  });
});
