import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { FunctionSettings } from "../../components/functions";
import { getConnectionUrl } from "../../components/lib/pg";
import type { QualityContext } from "../../components/quality/items";
import type { DeployedApp } from "./app-test";
import { startEdgeRuntime } from "./edge-runtime";

/** The type token of a deployed function's revision, which carries its settings. */
const REVISION = "pulumi-nodejs:dynamic/functions:FunctionRevision";

/** The program's functions, as its stack deployed them: name -> settings. */
export function getDeployedFunctions(app: DeployedApp): Record<string, FunctionSettings> {
  return Object.fromEntries(
    app.harness.resources
      .filter((r) => r.type === REVISION)
      .map((r) => [r.outputs.name as string, r.outputs.settings as FunctionSettings]),
  );
}

/** What the quality items probe: the gateway's functions and its /metrics. */
export type RuntimeProbes = Pick<QualityContext, "functions" | "metrics">;

/**
 * Serves the program's deployed functions (Supabase layout: `<program>/functions`) with the
 * library's runtime for the length of `fn`, as the stack's edge runtime would, so the quality
 * items can probe them. Programs without functions get no runtime.
 */
export async function withAppRuntime<T>(
  app: DeployedApp,
  fn: (probes: RuntimeProbes) => Promise<T>,
): Promise<T> {
  const functions = getDeployedFunctions(app);
  const functionsDir = path.join(app.programDir, "functions");
  if (Object.keys(functions).length === 0) return fn({});
  if (!fs.existsSync(functionsDir)) {
    throw new Error(
      `${functionsDir} is missing: the stack deploys functions ${Object.keys(functions).join(", ")}.`,
    );
  }
  const authenticatorUrl = getConnectionUrl(app.connections.authenticator);
  const token = crypto.randomBytes(24).toString("hex");
  const runtime = await startEdgeRuntime({
    functionsDir,
    functions,
    jwtSecret:
      app.options.secrets?.["orgstack:jwtSecret"] ?? crypto.randomBytes(32).toString("hex"),
    databaseUrl: authenticatorUrl,
    env: {
      SUPABASE_DB_URL: authenticatorUrl,
      ORGSTACK_METRICS_TOKEN: token,
      ORGSTACK_MONITOR_DATABASE_URL: getConnectionUrl(app.connections.monitor),
    },
  });
  try {
    return await fn({
      functions: { url: runtime.url, functions: Object.keys(functions) },
      metrics: { url: runtime.url, token },
    });
  } finally {
    await runtime.stop();
  }
}
