/** The settings of one function, as the Pulumi side writes them (see the shared contract). */
export interface FunctionSettings {
  readonly auth: AuthMode;
  readonly methods: readonly string[];
  readonly corsOrigins: readonly string[];
  readonly bodyLimitBytes: number;
  readonly rateLimit: { readonly requests: number; readonly perSeconds: number } | null;
  readonly timeoutMs: number;
  readonly memoryLimitMb: number;
  readonly env: readonly string[];
}

/** Who may call a function: see the contract's auth modes. */
export type AuthMode = "none" | "anon" | "user" | "service";

/** The manifest file ORGSTACK_FUNCTIONS_MANIFEST names. */
export interface RuntimeManifest {
  readonly functions: Readonly<Record<string, FunctionSettings>>;
}

const AUTH_MODES: readonly string[] = ["none", "anon", "user", "service"];
const METHOD = /^[A-Z]+$/;
const ORIGIN = /^https?:\/\/[^/\s]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FUNCTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

type Problems = string[];

function describe(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

function checkInteger(problems: Problems, at: string, value: unknown, min: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    problems.push(`'${at}' is ${describe(value)}. Use a whole number of at least ${min}.`);
  }
}

function checkList(
  problems: Problems,
  at: string,
  value: unknown,
  item: { readonly pattern: RegExp; readonly allowed: string },
): void {
  if (!Array.isArray(value)) {
    problems.push(`'${at}' is ${describe(value)}. Use a list of ${item.allowed}.`);
    return;
  }
  value.forEach((entry, i) => {
    if (typeof entry !== "string" || !item.pattern.test(entry)) {
      problems.push(`'${at}[${i}]' is ${describe(entry)}. Use ${item.allowed}.`);
    }
  });
}

function checkRateLimit(problems: Problems, at: string, value: unknown): void {
  if (value === null) return;
  if (typeof value !== "object" || Array.isArray(value) || value === undefined) {
    problems.push(`'${at}' is ${describe(value)}. Use null or { "requests": n, "perSeconds": s }.`);
    return;
  }
  const limit = value as Record<string, unknown>;
  checkInteger(problems, `${at}.requests`, limit.requests, 1);
  checkInteger(problems, `${at}.perSeconds`, limit.perSeconds, 1);
}

function checkCorsOrigins(problems: Problems, at: string, value: unknown): void {
  if (Array.isArray(value) && value.includes("*")) {
    if (value.length !== 1) problems.push(`'${at}' mixes "*" with origins. Use ["*"] alone.`);
    return;
  }
  checkList(problems, at, value, {
    pattern: ORIGIN,
    allowed: 'origins like "https://app.example.com"',
  });
}

function checkSettings(problems: Problems, name: string, value: unknown): void {
  const at = `functions.${name}`;
  if (!FUNCTION_NAME.test(name)) {
    problems.push(`'${at}' is not a function name. Use letters, digits, '-' or '_'.`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push(`'${at}' is ${describe(value)}. Use an object of function settings.`);
    return;
  }
  const s = value as Record<string, unknown>;
  if (typeof s.auth !== "string" || !AUTH_MODES.includes(s.auth)) {
    problems.push(
      `'${at}.auth' is ${describe(s.auth)}. Use one of "none", "anon", "user", "service".`,
    );
  }
  checkList(problems, `${at}.methods`, s.methods, {
    pattern: METHOD,
    allowed: 'uppercase methods like "POST"',
  });
  checkCorsOrigins(problems, `${at}.corsOrigins`, s.corsOrigins);
  checkInteger(problems, `${at}.bodyLimitBytes`, s.bodyLimitBytes, 0);
  checkRateLimit(problems, `${at}.rateLimit`, s.rateLimit);
  checkInteger(problems, `${at}.timeoutMs`, s.timeoutMs, 1);
  checkInteger(problems, `${at}.memoryLimitMb`, s.memoryLimitMb, 16);
  checkList(problems, `${at}.env`, s.env, {
    pattern: ENV_NAME,
    allowed: "environment variable names",
  });
}

/**
 * Checks a parsed manifest and returns it typed. Throws once, listing every problem, each naming
 * the function and key, the value found and what is allowed.
 */
export function validateManifest(value: unknown, source: string): RuntimeManifest {
  const problems: Problems = [];
  const functions = (value as { functions?: unknown } | null)?.functions;
  if (typeof functions !== "object" || functions === null || Array.isArray(functions)) {
    problems.push(`'functions' is ${describe(functions)}. Use an object keyed by function name.`);
  } else {
    for (const [name, settings] of Object.entries(functions))
      checkSettings(problems, name, settings);
  }
  if (problems.length > 0) {
    throw new Error(
      `Invalid functions manifest '${source}':\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  return value as RuntimeManifest;
}

/** Reads and validates the manifest file; a missing file or bad JSON names the path. */
export async function loadManifest(path: string): Promise<RuntimeManifest> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new Error(
      `Cannot read the functions manifest '${path}'. Set ORGSTACK_FUNCTIONS_MANIFEST to its path.`,
      { cause: error },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `The functions manifest '${path}' is not valid JSON: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return validateManifest(parsed, path);
}

/**
 * Rate limits live in PostgreSQL: a manifest that declares one needs ORGSTACK_DATABASE_URL,
 * or the limit would silently not apply. Throws naming every such function.
 */
export function validateRateLimitDatabase(manifest: RuntimeManifest, hasDatabase: boolean): void {
  if (hasDatabase) return;
  const limited = Object.entries(manifest.functions)
    .filter(([, settings]) => settings.rateLimit !== null)
    .map(([name]) => `'functions.${name}.rateLimit'`);
  if (limited.length === 0) return;
  throw new Error(
    `${limited.join(", ")} ${limited.length === 1 ? "needs" : "need"} PostgreSQL, but 'ORGSTACK_DATABASE_URL' is not set. Set it to the stack's authenticator URL.`,
  );
}
