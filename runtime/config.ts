/** The runtime's settings, read once from its environment. */
export interface RuntimeConfig {
  readonly hostname: string;
  readonly port: number;
  readonly functionsDir: string;
  readonly manifestPath: string;
  readonly jwtSecret: string;
  readonly jwksUrl?: string;
  /** The stack's authenticator login; without it there is no rate limit or invocation table. */
  readonly databaseUrl?: string;
}

/** Supabase's local functions port, so its tooling finds us where it expects. */
const DEFAULT_PORT = 8000;

/**
 * Reads and checks the runtime's variables, throwing once with every problem, each naming the
 * variable, the value (never a secret's) and what is allowed.
 */
export function readRuntimeConfig(
  env: Readonly<Record<string, string | undefined>>,
): RuntimeConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name];
    if (!value) problems.push(`'${name}' is not set. ${REQUIRED_HINTS[name]}`);
    return value ?? "";
  };
  const portText = env.PORT ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`'PORT' is ${JSON.stringify(portText)}. Use a port number from 0 to 65535.`);
  }
  const functionsDir = required("ORGSTACK_FUNCTIONS_DIR").replace(/\/+$/, "");
  const manifestPath = required("ORGSTACK_FUNCTIONS_MANIFEST");
  const jwtSecret = required("ORGSTACK_JWT_SECRET");
  const jwksUrl = env.ORGSTACK_JWKS_URL || undefined;
  if (jwksUrl !== undefined && !URL.canParse(jwksUrl)) {
    problems.push(
      `'ORGSTACK_JWKS_URL' is ${JSON.stringify(jwksUrl)}. Use an absolute https URL of a JWKS.`,
    );
  }
  if (problems.length > 0) {
    throw new Error(
      `Invalid edge runtime environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  return {
    hostname: env.ORGSTACK_RUNTIME_HOSTNAME || "0.0.0.0",
    port,
    functionsDir,
    manifestPath,
    jwtSecret,
    jwksUrl,
    databaseUrl: env.ORGSTACK_DATABASE_URL || undefined,
  };
}

const REQUIRED_HINTS: Readonly<Record<string, string>> = {
  ORGSTACK_FUNCTIONS_DIR: "Set it to the folder holding <name>/index.ts and _shared/.",
  ORGSTACK_FUNCTIONS_MANIFEST: "Set it to the manifest JSON the stack writes.",
  ORGSTACK_JWT_SECRET: "Set it to the stack's JWT secret (HS256).",
};
