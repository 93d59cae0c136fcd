import { z } from "zod";
import type { DatabaseMode, Flavor } from "./database";
import { CONFIG_NAMESPACE, quoteKey, type Show } from "./keys";

/**
 * The edge functions part of the configuration: `orgstack:functions` (its presence means the
 * stack deploys functions), and two credentials set with `pulumi config set --secret`:
 * `orgstack:jwtSecret`, the HS256 secret the stack's runtime verifies tokens with, and
 * `orgstack:supabaseAccessToken`, the Management API token that deploys to a Supabase project.
 */

export const JWT_SECRET_KEY = "jwtSecret";
export const SUPABASE_ACCESS_TOKEN_KEY = "supabaseAccessToken";

/** Where the local Supabase stack serves its API, functions included: clients' defaults fit. */
export const DEFAULT_RUNTIME_PORT = 54321;

/**
 * Supabase signs with at least 32 characters (its CLI refuses a shorter `auth.jwt_secret`), and
 * RFC 7518 section 3.2 asks an HS256 key to be at least as long as the hash: 256 bits.
 */
const MIN_JWT_SECRET_LENGTH = 32;

/** A Supabase project ref: 20 lowercase letters (Management API `ref`: minLength = maxLength 20). */
const PROJECT_REF = /^[a-z]{20}$/;

/** Checked by the rules below, with messages of their own, rather than by zod's formats. */
const SUPABASE_SCHEMA = z.strictObject({ projectRef: z.string() });

export const FUNCTIONS_SCHEMA = z.strictObject({
  /** Container mode: the runtime's port on localhost. Default 54321. */
  publishedPort: z.number().int().min(1).max(65535).optional(),
  /** Where RS256/ES256 signing keys are published (Supabase Auth, Auth0, Clerk). */
  jwksUrl: z.string().optional(),
  /** Flavor supabase: the project functions are deployed to. */
  supabase: SUPABASE_SCHEMA.optional(),
});

/** Nested objects of the part, for messages naming an unknown key. */
export const FUNCTIONS_SHAPES: Readonly<Record<string, z.core.$ZodShape>> = {
  functions: FUNCTIONS_SCHEMA.shape,
  "functions.supabase": SUPABASE_SCHEMA.shape,
};

/** The functions part's top-level keys. */
export const FUNCTIONS_SHAPE = {
  functions: FUNCTIONS_SCHEMA.optional(),
  [JWT_SECRET_KEY]: z.string().min(1).optional(),
  [SUPABASE_ACCESS_TOKEN_KEY]: z.string().min(1).optional(),
};

/** The functions part's top-level keys as the schema parsed them. */
export interface ParsedFunctionsPart {
  readonly functions?: z.infer<typeof FUNCTIONS_SCHEMA>;
  readonly jwtSecret?: string;
  readonly supabaseAccessToken?: string;
}

/** The validated `orgstack:functions`, with every default filled in. Plain values only. */
export interface FunctionsConfig {
  /** Container mode: the runtime is published on localhost at this port. */
  readonly publishedPort: number;
  /** Plain string: resources get it as `pulumi.secret(...)`. Absent with flavor supabase. */
  readonly jwtSecret?: string;
  readonly jwksUrl?: string;
  /** Flavor supabase: the project and the Management API token (a plain string, see above). */
  readonly supabase?: { readonly projectRef: string; readonly accessToken: string };
}

export interface FunctionsRulesContext {
  readonly stack: string;
  readonly database: {
    readonly mode: DatabaseMode;
    readonly flavor: Flavor;
    readonly host?: string;
  };
  /** Shows a value of `orgstack:functions`, or hides it when that object is a secret. */
  readonly show: Show;
}

const setSecret = (key: string, stack: string, value: string) =>
  `Set it with: pulumi config set --secret ${CONFIG_NAMESPACE}:${key} <${value}> --stack ${stack}`;

/** Fills in defaults and checks the rules across keys; undefined when the part is absent. */
export function completeFunctionsConfig(
  parsed: ParsedFunctionsPart,
  context: FunctionsRulesContext,
): { config?: FunctionsConfig; problems: string[] } {
  if (parsed.functions === undefined) return { problems: getUnusedSecretProblems(parsed) };
  const functions = parsed.functions;
  const supabase = context.database.flavor === "supabase";
  const problems = supabase
    ? getSupabaseProblems(parsed, context)
    : getRuntimeProblems(parsed, context);
  const config: FunctionsConfig = {
    publishedPort: functions.publishedPort ?? DEFAULT_RUNTIME_PORT,
    jwtSecret: parsed.jwtSecret,
    jwksUrl: functions.jwksUrl,
    supabase:
      functions.supabase && parsed.supabaseAccessToken !== undefined
        ? { projectRef: functions.supabase.projectRef, accessToken: parsed.supabaseAccessToken }
        : undefined,
  };
  return { config, problems };
}

function getUnusedSecretProblems(parsed: ParsedFunctionsPart): string[] {
  return [JWT_SECRET_KEY, SUPABASE_ACCESS_TOKEN_KEY]
    .filter((key) => parsed[key as keyof ParsedFunctionsPart] !== undefined)
    .map(
      (key) =>
        `'${CONFIG_NAMESPACE}:${key}' is set but ${quoteKey("functions")} is not: ` +
        `add ${quoteKey("functions")} (an empty object takes every default) to deploy edge functions, or remove the secret.`,
    );
}

/** The stack runs the runtime itself: it verifies tokens with its own secret. */
function getRuntimeProblems(parsed: ParsedFunctionsPart, context: FunctionsRulesContext): string[] {
  const problems: string[] = [];
  const { functions = {} } = parsed;
  const jwtKey = `'${CONFIG_NAMESPACE}:${JWT_SECRET_KEY}'`;
  if (parsed.jwtSecret === undefined) {
    problems.push(
      `${jwtKey} is required with ${quoteKey("functions")}: the runtime verifies tokens with it; found nothing. ` +
        setSecret(
          JWT_SECRET_KEY,
          context.stack,
          `at least ${MIN_JWT_SECRET_LENGTH} random characters`,
        ),
    );
  } else if (parsed.jwtSecret.length < MIN_JWT_SECRET_LENGTH) {
    problems.push(
      `${jwtKey} is ${parsed.jwtSecret.length} characters long; an HS256 secret needs at least ${MIN_JWT_SECRET_LENGTH}. ` +
        setSecret(
          JWT_SECRET_KEY,
          context.stack,
          `at least ${MIN_JWT_SECRET_LENGTH} random characters`,
        ),
    );
  }
  if (functions.publishedPort !== undefined && context.database.mode !== "container") {
    problems.push(
      `${quoteKey("functions.publishedPort")} is only used with database mode "container", where the stack runs the runtime; this stack uses mode "${context.database.mode}".`,
    );
  }
  const jwksProblem = getJwksUrlProblem(functions.jwksUrl, context.show);
  if (jwksProblem) problems.push(jwksProblem);
  if (functions.supabase !== undefined) {
    problems.push(
      `${quoteKey("functions.supabase")} is only used with database flavor "supabase"; this stack uses flavor "${context.database.flavor}".`,
    );
  }
  if (parsed.supabaseAccessToken !== undefined) {
    problems.push(
      `'${CONFIG_NAMESPACE}:${SUPABASE_ACCESS_TOKEN_KEY}' is only used with database flavor "supabase"; remove it.`,
    );
  }
  return problems;
}

/** HTTPS, or plain HTTP to this machine (a JWKS served in tests or by a local auth server). */
function getJwksUrlProblem(url: string | undefined, show: Show): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    const local = ["localhost", "127.0.0.1", "[::1]"].includes(parsed.hostname);
    if (parsed.protocol === "https:" || (parsed.protocol === "http:" && local)) return undefined;
  } catch {
    // Not a URL: reported below.
  }
  return (
    `${quoteKey("functions.jwksUrl")}: expected an https URL of a JWKS, such as ` +
    `"https://<project-ref>.supabase.co/auth/v1/.well-known/jwks.json"; found ${show(url)}.`
  );
}

/** Supabase verifies tokens and runs the functions: the stack only deploys them. */
function getSupabaseProblems(
  parsed: ParsedFunctionsPart,
  context: FunctionsRulesContext,
): string[] {
  const problems: string[] = [];
  const { functions = {} } = parsed;
  const ref = functions.supabase?.projectRef;
  if (ref === undefined) {
    problems.push(
      `${quoteKey("functions.supabase.projectRef")} is required with flavor "supabase": the project functions are deployed to; found nothing.`,
    );
  } else if (!PROJECT_REF.test(ref)) {
    problems.push(
      `${quoteKey("functions.supabase.projectRef")}: expected a Supabase project ref of 20 lowercase letters; found ${context.show(ref)}.`,
    );
  } else {
    const hostRef = /^db\.([a-z]{20})\.supabase\.co$/.exec(context.database.host ?? "")?.[1];
    if (hostRef !== undefined && hostRef !== ref) {
      problems.push(
        `${quoteKey("functions.supabase.projectRef")} ${context.show(ref)} is not the project of ${quoteKey("database.host")}: functions would go to another project than the database.`,
      );
    }
  }
  if (parsed.supabaseAccessToken === undefined) {
    problems.push(
      `'${CONFIG_NAMESPACE}:${SUPABASE_ACCESS_TOKEN_KEY}' is required with flavor "supabase" to deploy functions; found nothing. ` +
        setSecret(SUPABASE_ACCESS_TOKEN_KEY, context.stack, "access token"),
    );
  }
  const unused: Array<[string, boolean]> = [
    [`'${CONFIG_NAMESPACE}:${JWT_SECRET_KEY}'`, parsed.jwtSecret !== undefined],
    [quoteKey("functions.jwksUrl"), functions.jwksUrl !== undefined],
    [quoteKey("functions.publishedPort"), functions.publishedPort !== undefined],
  ];
  for (const [key] of unused.filter(([, set]) => set)) {
    problems.push(
      `${key} is not used with flavor "supabase": the project's own gateway runs the functions and verifies tokens; remove it.`,
    );
  }
  return problems;
}
