/**
 * The edge runtime: serves Supabase-style functions at /functions/v1/<name>, each in its own
 * process, behind the gateway's routing, CORS, auth, limits and invocation log.
 * Run: deno run --allow-all --v8-flags=--max-semi-space-size=1 runtime/main.ts
 * --allow-all: the gateway spawns Deno processes (--allow-run alone already grants as much) and
 * its memory watchdog reads their /proc entries, which Deno allows only with --allow-all (with
 * less it serves on, and logs that the watchdog is off). The V8 flag keeps resident memory flat
 * under load (see SEMI_SPACE_MB in function-process.ts). Each function runs with few permissions.
 */
import { createTokenVerifier } from "./auth.ts";
import { readRuntimeConfig } from "./config.ts";
import { createOpsDatabase } from "./database.ts";
import { createGatewayError, Gateway } from "./gateway.ts";
import { InvocationLog } from "./invocation-log.ts";
import { writeLog } from "./log.ts";
import { loadManifest, validateRateLimitDatabase } from "./manifest.ts";
import { readOpsConfig } from "./ops/config.ts";
import { createOpsRoutes } from "./ops/routes.ts";
import { createMonitorDatabase } from "./ops/snapshot.ts";
import { startWorkerProcess } from "./worker/process.ts";

const config = readRuntimeConfig(Deno.env.toObject());
const manifest = await loadManifest(config.manifestPath);
validateRateLimitDatabase(manifest, config.databaseUrl !== undefined);
const database = config.databaseUrl ? createOpsDatabase(config.databaseUrl) : null;
const log = new InvocationLog(database);
// /metrics and /ops, as the monitor login, when ORGSTACK_METRICS_TOKEN is set (runtime/ops).
const opsConfig = readOpsConfig(Deno.env.toObject());
const monitor = opsConfig ? createMonitorDatabase(opsConfig.monitorDatabaseUrl) : null;
const ops = opsConfig && monitor ? createOpsRoutes(opsConfig, monitor) : null;
// The job worker (ORGSTACK_WORKER=on): a child process with few permissions, stopped on shutdown.
const worker = startWorkerProcess(Deno.env.toObject(), config.databaseUrl);
const gateway = new Gateway({
  manifest,
  functionsDir: config.functionsDir,
  hostPath: new URL("./function-host.ts", import.meta.url).pathname,
  verifier: createTokenVerifier({ jwtSecret: config.jwtSecret, jwksUrl: config.jwksUrl }),
  database,
  log,
  env: Deno.env.toObject(),
});
const server = Deno.serve(
  {
    hostname: config.hostname,
    port: config.port,
    onListen: ({ hostname, port }) =>
      writeLog({
        level: "info",
        msg: "listening",
        hostname,
        port,
        functions: Object.keys(manifest.functions),
      }),
    // Only reached if the handler itself throws: still the JSON error, never Deno's bare 500.
    onError: (error) => createGatewayError(crypto.randomUUID(), error),
  },
  (request, info) => ops?.handle(request) ?? gateway.handle(request, info),
);

async function shutdown(): Promise<void> {
  await server.shutdown();
  await worker?.stop();
  await gateway.stop();
  await log.flush();
  await database?.end();
  await monitor?.end();
  Deno.exit(0);
}
for (const signal of ["SIGTERM", "SIGINT"] as const) Deno.addSignalListener(signal, shutdown);
