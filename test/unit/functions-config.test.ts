import { validateStackConfig } from "../../components/config";
import { messageOf, PASSWORD_KEY, raw, server } from "./config-fixtures";

const JWT_KEY = "orgstack:jwtSecret";
const TOKEN_KEY = "orgstack:supabaseAccessToken";
const JWT_SECRET = "s".repeat(40);
const REF = "abcdefghijklmnopqrst";
const supabaseDatabase = {
  mode: "existing",
  flavor: "supabase",
  host: `db.${REF}.supabase.co`,
  sslmode: "require",
};

describe("validateStackConfig: orgstack:functions", () => {
  it("leaves functions out when the part is absent", () => {
    const config = validateStackConfig(
      raw("local", { environment: "local", database: { mode: "container" } }, []),
    );
    expect(config.functions).toBeUndefined();
  });

  it("defaults the runtime's port to 54321 and keeps the secret as a plain value", () => {
    const config = validateStackConfig(
      raw(
        "local",
        {
          environment: "local",
          database: { mode: "container" },
          functions: {},
          jwtSecret: JWT_SECRET,
        },
        [JWT_KEY],
      ),
    );
    expect(config.functions).toEqual({ publishedPort: 54321, jwtSecret: JWT_SECRET });
  });

  it("takes a JWKS URL and a port", () => {
    const config = validateStackConfig(
      raw(
        "local",
        {
          environment: "local",
          database: { mode: "container" },
          functions: { publishedPort: 9000, jwksUrl: "https://auth.example.com/jwks.json" },
          jwtSecret: JWT_SECRET,
        },
        [JWT_KEY],
      ),
    );
    expect(config.functions).toEqual({
      publishedPort: 9000,
      jwtSecret: JWT_SECRET,
      jwksUrl: "https://auth.example.com/jwks.json",
    });
  });

  it("takes a Supabase project and its access token with flavor supabase", () => {
    const config = validateStackConfig(
      raw(
        "production",
        {
          environment: "production",
          database: supabaseDatabase,
          databasePassword: "pw",
          functions: { supabase: { projectRef: REF } },
          supabaseAccessToken: "sbp_0123",
        },
        [PASSWORD_KEY, TOKEN_KEY],
      ),
    );
    expect(config.functions?.supabase).toEqual({ projectRef: REF, accessToken: "sbp_0123" });
    expect(config.functions?.jwtSecret).toBeUndefined();
  });

  it("refuses a plaintext JWT secret and access token without printing them", () => {
    const message = messageOf(
      raw(
        "production",
        {
          environment: "production",
          database: supabaseDatabase,
          databasePassword: "pw",
          functions: { supabase: { projectRef: REF } },
          supabaseAccessToken: "sbp_pl41n",
          jwtSecret: "j".repeat(32),
        },
        [PASSWORD_KEY],
      ),
    );
    expect(message).toBe(
      [
        "Invalid configuration for stack 'production' (stacks/Pulumi.production.yaml):",
        "  - 'orgstack:supabaseAccessToken' holds a credential in plaintext. Set it with: pulumi config set --secret orgstack:supabaseAccessToken <value> --stack production",
        "  - 'orgstack:jwtSecret' holds a credential in plaintext. Set it with: pulumi config set --secret orgstack:jwtSecret <value> --stack production",
        `  - 'orgstack:jwtSecret' is not used with flavor "supabase": the project's own gateway runs the functions and verifies tokens; remove it.`,
      ].join("\n"),
    );
  });

  it("requires the JWT secret where the stack runs the runtime, and refuses Supabase keys there", () => {
    expect(
      messageOf(
        raw(
          "pr-7",
          {
            environment: "ephemeral",
            database: server,
            databasePassword: "pw",
            functions: { publishedPort: 9000, supabase: { projectRef: REF } },
            supabaseAccessToken: "sbp_x",
          },
          [PASSWORD_KEY, TOKEN_KEY],
        ),
      ),
    ).toBe(
      [
        "Invalid configuration for stack 'pr-7' (stacks/Pulumi.pr-7.yaml):",
        "  - 'orgstack:jwtSecret' is required with 'orgstack:functions': the runtime verifies tokens with it; found nothing. Set it with: pulumi config set --secret orgstack:jwtSecret <at least 32 random characters> --stack pr-7",
        `  - 'orgstack:functions.publishedPort' is only used with database mode "container", where the stack runs the runtime; this stack uses mode "server".`,
        `  - 'orgstack:functions.supabase' is only used with database flavor "supabase"; this stack uses flavor "postgres".`,
        `  - 'orgstack:supabaseAccessToken' is only used with database flavor "supabase"; remove it.`,
      ].join("\n"),
    );
  });

  it("refuses a short secret without showing it, and a JWKS URL that is not https", () => {
    const message = messageOf(
      raw(
        "local",
        {
          environment: "local",
          database: { mode: "container" },
          functions: { jwksUrl: "http://auth.example.com/jwks.json" },
          jwtSecret: "short-s3cret",
        },
        [JWT_KEY],
      ),
    );
    expect(message).toBe(
      [
        "Invalid configuration for stack 'local' (stacks/Pulumi.local.yaml):",
        "  - 'orgstack:jwtSecret' is 12 characters long; an HS256 secret needs at least 32. Set it with: pulumi config set --secret orgstack:jwtSecret <at least 32 random characters> --stack local",
        `  - 'orgstack:functions.jwksUrl': expected an https URL of a JWKS, such as "https://<project-ref>.supabase.co/auth/v1/.well-known/jwks.json"; found "http://auth.example.com/jwks.json".`,
      ].join("\n"),
    );
  });

  it("accepts a JWKS over plain HTTP from this machine", () => {
    const config = validateStackConfig(
      raw(
        "local",
        {
          environment: "local",
          database: { mode: "container" },
          functions: { jwksUrl: "http://127.0.0.1:9999/jwks.json" },
          jwtSecret: JWT_SECRET,
        },
        [JWT_KEY],
      ),
    );
    expect(config.functions?.jwksUrl).toBe("http://127.0.0.1:9999/jwks.json");
  });

  it("requires a project ref and token with flavor supabase, and refuses a ref of another project", () => {
    const base = {
      environment: "staging",
      database: supabaseDatabase,
      databasePassword: "pw",
    };
    expect(messageOf(raw("staging", { ...base, functions: {} }))).toBe(
      [
        "Invalid configuration for stack 'staging' (stacks/Pulumi.staging.yaml):",
        `  - 'orgstack:functions.supabase.projectRef' is required with flavor "supabase": the project functions are deployed to; found nothing.`,
        `  - 'orgstack:supabaseAccessToken' is required with flavor "supabase" to deploy functions; found nothing. Set it with: pulumi config set --secret orgstack:supabaseAccessToken <access token> --stack staging`,
      ].join("\n"),
    );
    const other = { supabase: { projectRef: "zyxwvutsrqponmlkjihg" }, publishedPort: 1 };
    expect(
      messageOf(
        raw("staging", { ...base, functions: other, supabaseAccessToken: "t" }, [
          PASSWORD_KEY,
          TOKEN_KEY,
        ]),
      ),
    ).toBe(
      [
        "Invalid configuration for stack 'staging' (stacks/Pulumi.staging.yaml):",
        `  - 'orgstack:functions.supabase.projectRef' "zyxwvutsrqponmlkjihg" is not the project of 'orgstack:database.host': functions would go to another project than the database.`,
        `  - 'orgstack:functions.publishedPort' is not used with flavor "supabase": the project's own gateway runs the functions and verifies tokens; remove it.`,
      ].join("\n"),
    );
  });

  it("names a malformed project ref and unknown keys at each level", () => {
    expect(
      messageOf(
        raw(
          "staging",
          {
            environment: "staging",
            database: supabaseDatabase,
            databasePassword: "pw",
            functions: { supabase: { projectRef: "ABC", region: "eu" }, port: 1 },
            supabaseAccessToken: "t",
          },
          [PASSWORD_KEY, TOKEN_KEY],
        ),
      ),
    ).toBe(
      [
        "Invalid configuration for stack 'staging' (stacks/Pulumi.staging.yaml):",
        "  - 'orgstack:functions.supabase.region' is not a known key. Allowed keys: projectRef.",
        "  - 'orgstack:functions.port' is not a known key. Allowed keys: publishedPort, jwksUrl, supabase.",
        `  - 'orgstack:functions.supabase.projectRef': expected a Supabase project ref of 20 lowercase letters; found "ABC".`,
      ].join("\n"),
    );
  });

  it("points a token nested in the functions object to the access token key", () => {
    expect(
      messageOf(
        raw(
          "local",
          {
            environment: "local",
            database: { mode: "container" },
            functions: { accessToken: "sbp_n3st3d" },
          },
          [],
        ),
      ),
    ).toBe(
      [
        "Invalid configuration for stack 'local' (stacks/Pulumi.local.yaml):",
        "  - 'orgstack:functions.accessToken' holds a credential in plaintext. Remove it and set 'orgstack:supabaseAccessToken' instead. Set it with: pulumi config set --secret orgstack:supabaseAccessToken <value> --stack local",
        "  - 'orgstack:functions.accessToken' is not a known key. Allowed keys: publishedPort, jwksUrl, supabase.",
        "  - 'orgstack:jwtSecret' is required with 'orgstack:functions': the runtime verifies tokens with it; found nothing. Set it with: pulumi config set --secret orgstack:jwtSecret <at least 32 random characters> --stack local",
      ].join("\n"),
    );
  });

  it("refuses a JWT secret set without the functions part", () => {
    expect(
      messageOf(
        raw(
          "local",
          { environment: "local", database: { mode: "container" }, jwtSecret: JWT_SECRET },
          [JWT_KEY],
        ),
      ),
    ).toBe(
      [
        "Invalid configuration for stack 'local' (stacks/Pulumi.local.yaml):",
        "  - 'orgstack:jwtSecret' is set but 'orgstack:functions' is not: add 'orgstack:functions' (an empty object takes every default) to deploy edge functions, or remove the secret.",
      ].join("\n"),
    );
  });
});
