import { defineProblemListError, type ProblemListError } from "../lib/problems";
import { buildRuntimeManifest, renderRuntimeManifest } from "./manifest";
import type { ValidatedFunction } from "./spec";

/** Where the image's runtime listens, and where Dockerfile's ENV expects the manifest. */
export const RUNTIME_INTERNAL_PORT = 8000;
export const MANIFEST_PATH = "/etc/orgstack/functions.json";
/** Where the image carries the program's job handlers (Dockerfile `COPY --from=jobs`). */
export const JOBS_PATH = "/opt/orgstack/jobs";

/**
 * npm packages the image installs: jose (the gateway verifies tokens), pg (the gateway's rate
 * limit and log, and _shared's database helpers), zod (functions validate bodies with it).
 */
export const RUNTIME_NPM_PACKAGES = ["jose", "pg", "zod"] as const;

/**
 * `name@range` for each package, at the range `dependencies` gives it (the library's
 * package.json), so the image runs the versions the tests ran.
 */
export function getNpmPackageSpecs(
  dependencies: Readonly<Record<string, string>>,
  names: readonly string[],
): string[] {
  const missing = names.filter((name) => dependencies[name] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `The library's package.json has no dependency ${missing.map((m) => `'${m}'`).join(", ")}: ` +
        "the edge runtime image installs the npm packages at the versions it pins. Add them.",
    );
  }
  return names.map((name) => `${name}@${dependencies[name]}`);
}

/** `new EdgeRuntimeError(stack, problems)`: what keeps a stack's runtime from being planned. */
export const EdgeRuntimeError = defineProblemListError(
  "EdgeRuntimeError",
  (stack: string) => `Invalid EdgeRuntime for stack '${stack}':`,
);
export type EdgeRuntimeError = ProblemListError;

export interface EdgeRuntimePlanInput {
  readonly stack: string;
  readonly functions: readonly ValidatedFunction[];
  /** The function folders the functions folder holds (files.ts listFunctionFolders). */
  readonly folders: readonly string[];
  readonly publishedPort: number;
  readonly jwksUrl?: string;
  /** Whether the program has app job handlers (a jobs folder) the worker loads. */
  readonly hasJobs?: boolean;
}

export interface EdgeRuntimePlan {
  readonly imageName: string;
  readonly containerName: string;
  readonly manifestJson: string;
  /** Variables without secrets; the secret ones come from getSecretEnvs. */
  readonly envs: readonly string[];
  readonly internalPort: number;
  readonly healthCheck: readonly string[];
}

/**
 * Plans the runtime container of one stack. Every folder the image carries must be declared:
 * an undeclared one would ship code no route serves, which is a forgotten declaration.
 */
export function planEdgeRuntime(input: EdgeRuntimePlanInput): EdgeRuntimePlan {
  const declared = new Set(input.functions.map((f) => f.name));
  const problems = input.folders
    .filter((folder) => !declared.has(folder))
    .map(
      (folder) =>
        `'functions/${folder}' has no EdgeFunction declaration: declare it in the program, or ` +
        "move the folder out (a name starting with '_' marks shared code).",
    );
  EdgeRuntimeError.throwIfAny(input.stack, problems);
  const manifestJson = renderRuntimeManifest(buildRuntimeManifest(input.functions));
  const base = `orgstack-${input.stack}`;
  return {
    imageName: `orgstack/edge-runtime:${input.stack}`,
    containerName: `${base}-functions`,
    manifestJson,
    envs: [
      `PORT=${RUNTIME_INTERNAL_PORT}`,
      `ORGSTACK_FUNCTIONS_MANIFEST=${MANIFEST_PATH}`,
      `SUPABASE_URL=http://localhost:${input.publishedPort}`,
      ...(input.jwksUrl ? [`ORGSTACK_JWKS_URL=${input.jwksUrl}`] : []),
      // The job worker runs wherever a runtime does: alerts and app jobs need no other host.
      "ORGSTACK_WORKER=on",
      ...(input.hasJobs ? [`ORGSTACK_JOBS_DIR=${JOBS_PATH}`] : []),
    ],
    internalPort: RUNTIME_INTERNAL_PORT,
    // The image has Deno and no curl; `deno eval` may fetch without permission flags.
    healthCheck: [
      "CMD",
      "deno",
      "eval",
      `const r = await fetch("http://127.0.0.1:${RUNTIME_INTERNAL_PORT}/health"); Deno.exit(r.ok ? 0 : 1);`,
    ],
  };
}

export interface RuntimeSecrets {
  readonly jwtSecret: string;
  readonly databaseUrl: string;
  /** Supabase-shaped API keys signed with the JWT secret (tokens.ts). */
  readonly anonKey: string;
  readonly serviceRoleKey: string;
  /** The monitor login's URL: /metrics and /ops read as pg_monitor, never the authenticator. */
  readonly monitorDatabaseUrl: string;
  readonly metricsToken: string;
  readonly alertWebhookUrl?: string;
}

/** The variables that hold secrets; a function sees one only if it declares it. */
export function getSecretEnvs(secrets: RuntimeSecrets): string[] {
  return [
    `ORGSTACK_JWT_SECRET=${secrets.jwtSecret}`,
    `ORGSTACK_DATABASE_URL=${secrets.databaseUrl}`,
    `SUPABASE_DB_URL=${secrets.databaseUrl}`,
    `SUPABASE_ANON_KEY=${secrets.anonKey}`,
    `SUPABASE_SERVICE_ROLE_KEY=${secrets.serviceRoleKey}`,
    `ORGSTACK_MONITOR_DATABASE_URL=${secrets.monitorDatabaseUrl}`,
    `ORGSTACK_METRICS_TOKEN=${secrets.metricsToken}`,
    ...(secrets.alertWebhookUrl ? [`ORGSTACK_ALERT_WEBHOOK_URL=${secrets.alertWebhookUrl}`] : []),
  ];
}
