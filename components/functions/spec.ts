import { defineProblemListError, type ProblemListError } from "../lib/problems";

/**
 * One edge function's settings as a program declares them, their defaults and their validation.
 * The validated settings are exactly the runtime manifest's `FunctionSettings` (manifest.ts).
 */

/** Who may call a function; see the runtime contract for what each mode accepts. */
export const AUTH_MODES = ["none", "anon", "user", "service"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Methods a function may declare. OPTIONS is not one: the gateway answers preflight itself. */
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

/** A token bucket: `requests` per `perSeconds`, per function and caller. */
export interface RateLimit {
  readonly requests: number;
  readonly perSeconds: number;
}

/** The settings of one function, as the runtime reads them from the manifest. */
export interface FunctionSettings {
  readonly auth: AuthMode;
  readonly methods: readonly string[];
  readonly corsOrigins: readonly string[];
  readonly bodyLimitBytes: number;
  readonly rateLimit: RateLimit | null;
  readonly timeoutMs: number;
  readonly memoryLimitMb: number;
  readonly env: readonly string[];
}

/** What a program declares for `functions/<name>/index.ts`; every setting has a default. */
export interface EdgeFunctionSpec {
  /** The function's folder under the functions folder, and its route `/functions/v1/<name>`. */
  readonly name: string;
  /** Default "user": a signed-in user's token. */
  readonly auth?: AuthMode;
  /** Default ["POST"]. */
  readonly methods?: readonly string[];
  /** Exact origins (`https://app.example.com`) or ["*"]. Default []: no CORS. */
  readonly corsOrigins?: readonly string[];
  /** Default 6 MiB, Supabase's documented request size limit. */
  readonly bodyLimitBytes?: number;
  /** Default none. */
  readonly rateLimit?: RateLimit | null;
  /** Default 10 s; the caller gets 504 after it. */
  readonly timeoutMs?: number;
  /** Default 150 MB, Supabase's per-function memory limit. */
  readonly memoryLimitMb?: number;
  /** Names of the environment variables the function sees; it sees nothing else. Default []. */
  readonly env?: readonly string[];
}

/** A declaration with every default filled in. */
export interface ValidatedFunction {
  readonly name: string;
  readonly settings: FunctionSettings;
}

export const DEFAULT_SETTINGS: FunctionSettings = {
  auth: "user",
  methods: ["POST"],
  corsOrigins: [],
  bodyLimitBytes: 6 * 1024 * 1024,
  rateLimit: null,
  timeoutMs: 10_000,
  memoryLimitMb: 150,
  env: [],
};

/**
 * Bounds that catch a typo (a limit in bytes given as megabytes, seconds as milliseconds)
 * rather than policy: the largest body is one a function can still buffer, the longest timeout
 * Supabase's 150 s wall-clock limit, the memory range one V8 heap can be given.
 */
const LIMITS = {
  bodyLimitBytes: { min: 1, max: 100 * 1024 * 1024 },
  timeoutMs: { min: 100, max: 150_000 },
  memoryLimitMb: { min: 32, max: 4096 },
  requests: { min: 1, max: 1_000_000 },
  perSeconds: { min: 1, max: 86_400 },
} as const;

/** Supabase's slug pattern (Management API `function_slug`), so a name deploys there too. */
const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Longest slug: one DNS label, as URLs and container names carry it. */
const MAX_NAME_LENGTH = 63;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** The runtime's own variables (its JWT secret, database URL) are never a function's. */
const RESERVED_ENV_PREFIX = "ORGSTACK_";
const SPEC_KEYS = ["name", ...Object.keys(DEFAULT_SETTINGS)];

/** `new EdgeFunctionError(name, problems)`: every problem of one function's declaration. */
export const EdgeFunctionError = defineProblemListError(
  "EdgeFunctionError",
  (name: string) => `Invalid EdgeFunction '${name}':`,
);
export type EdgeFunctionError = ProblemListError;

const show = (value: unknown) => (value === undefined ? "nothing" : JSON.stringify(value));
const quoteAll = (values: readonly string[]) => values.map((v) => `"${v}"`).join(", ");

/** Checks every setting, throws once listing all problems, and fills in the defaults. */
export function validateEdgeFunctionSpec(spec: EdgeFunctionSpec): ValidatedFunction {
  const settings = getSettings(spec);
  const problems = [
    ...getUnknownKeyProblems(spec),
    ...getNameProblems(spec.name),
    ...getAuthProblems(settings.auth),
    ...getMethodProblems(settings.methods),
    ...getOriginProblems(settings.corsOrigins),
    ...getLimitProblems(settings),
    ...getEnvProblems(settings.env),
  ];
  EdgeFunctionError.throwIfAny(String(spec.name), problems);
  return { name: spec.name, settings };
}

/** The declared settings, each one missing taken from DEFAULT_SETTINGS; nothing else. */
function getSettings(spec: EdgeFunctionSpec): FunctionSettings {
  const declared = spec as unknown as Record<string, unknown>;
  const defaults = DEFAULT_SETTINGS as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(defaults).map((key) => [key, declared[key] ?? defaults[key]]),
  ) as unknown as FunctionSettings;
}

function getUnknownKeyProblems(spec: EdgeFunctionSpec): string[] {
  return Object.keys(spec)
    .filter((key) => !SPEC_KEYS.includes(key))
    .map((key) => `'${key}' is not a known setting. Allowed settings: ${SPEC_KEYS.join(", ")}.`);
}

function getNameProblems(name: unknown): string[] {
  if (typeof name === "string" && NAME.test(name) && name.length <= MAX_NAME_LENGTH) return [];
  return [
    `'name': expected a folder name of 1-${MAX_NAME_LENGTH} letters, digits, '_' or '-', ` +
      `starting with a letter (folders starting with '_' are shared code); found ${show(name)}.`,
  ];
}

function getAuthProblems(auth: unknown): string[] {
  if ((AUTH_MODES as readonly unknown[]).includes(auth)) return [];
  return [`'auth': expected one of ${quoteAll(AUTH_MODES)}; found ${show(auth)}.`];
}

function getMethodProblems(methods: readonly unknown[]): string[] {
  if (!Array.isArray(methods) || methods.length === 0) {
    return [`'methods': expected a non-empty list such as ["POST"]; found ${show(methods)}.`];
  }
  return methods.flatMap((method, i) => {
    const key = `'methods[${i}]'`;
    if (method === "OPTIONS") {
      return [`${key}: "OPTIONS" is answered by the gateway from 'corsOrigins'; remove it.`];
    }
    if (!(HTTP_METHODS as readonly unknown[]).includes(method)) {
      return [`${key}: expected one of ${quoteAll(HTTP_METHODS)}; found ${show(method)}.`];
    }
    return methods.indexOf(method) < i ? [`${key}: ${show(method)} is listed twice.`] : [];
  });
}

function getOriginProblems(origins: readonly unknown[]): string[] {
  if (!Array.isArray(origins)) {
    return [`'corsOrigins': expected a list of origins or ["*"]; found ${show(origins)}.`];
  }
  if (origins.includes("*") && origins.length > 1) {
    return [`'corsOrigins': "*" allows every origin and cannot be listed with others.`];
  }
  return origins.flatMap((origin, i) =>
    origin === "*" || isOrigin(origin)
      ? []
      : [
          `'corsOrigins[${i}]': expected an origin such as "https://app.example.com" ` +
            `(scheme, host and port only, no path or trailing '/'); found ${show(origin)}.`,
        ],
  );
}

function isOrigin(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
  } catch {
    return false;
  }
}

function getLimitProblems(settings: FunctionSettings): string[] {
  const problems = [
    getIntegerProblem("bodyLimitBytes", settings.bodyLimitBytes, LIMITS.bodyLimitBytes),
    getIntegerProblem("timeoutMs", settings.timeoutMs, LIMITS.timeoutMs),
    getIntegerProblem("memoryLimitMb", settings.memoryLimitMb, LIMITS.memoryLimitMb),
  ];
  const rate = settings.rateLimit as unknown;
  if (rate !== null && (typeof rate !== "object" || Array.isArray(rate))) {
    problems.push(
      `'rateLimit': expected null or { requests, perSeconds } such as { "requests": 60, "perSeconds": 60 }; found ${show(rate)}.`,
    );
  } else if (rate !== null) {
    const { requests, perSeconds, ...rest } = rate as Record<string, unknown>;
    problems.push(getIntegerProblem("rateLimit.requests", requests, LIMITS.requests));
    problems.push(getIntegerProblem("rateLimit.perSeconds", perSeconds, LIMITS.perSeconds));
    for (const key of Object.keys(rest)) {
      problems.push(`'rateLimit.${key}' is not a known setting. Allowed: requests, perSeconds.`);
    }
  }
  return problems.filter((p): p is string => p !== undefined);
}

function getIntegerProblem(
  key: string,
  value: unknown,
  range: { readonly min: number; readonly max: number },
): string | undefined {
  if (Number.isInteger(value) && (value as number) >= range.min && (value as number) <= range.max) {
    return undefined;
  }
  return `'${key}': expected an integer from ${range.min} to ${range.max}; found ${show(value)}.`;
}

function getEnvProblems(env: readonly unknown[]): string[] {
  if (!Array.isArray(env)) {
    return [
      `'env': expected a list of variable names such as ["SUPABASE_URL"]; found ${show(env)}.`,
    ];
  }
  return env.flatMap((name, i) => {
    const key = `'env[${i}]'`;
    if (typeof name !== "string" || !ENV_NAME.test(name)) {
      return [
        `${key}: expected a variable name of uppercase letters, digits and '_'; found ${show(name)}.`,
      ];
    }
    if (name.startsWith(RESERVED_ENV_PREFIX)) {
      return [
        `${key}: ${show(name)} is the runtime's own variable; names starting with '${RESERVED_ENV_PREFIX}' are never given to a function.`,
      ];
    }
    return env.indexOf(name) < i ? [`${key}: ${show(name)} is listed twice.`] : [];
  });
}
