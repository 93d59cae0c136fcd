import type { TokenVerifier } from "./auth.ts";
import { getCorsHeaders } from "./cors.ts";
import type { OpsDatabase } from "./database.ts";
import { createErrorResponse } from "./errors.ts";
import { FunctionProcess } from "./function-process.ts";
import { serveFunction, type FunctionRequest, type Outcome } from "./function-pipeline.ts";
import type { InvocationLog } from "./invocation-log.ts";
import { describeError, writeLog } from "./log.ts";
import type { FunctionSettings, RuntimeManifest } from "./manifest.ts";
import { getRoute } from "./routing.ts";

/** What the gateway is built from; see main.ts for where each part comes from. */
export interface GatewayOptions {
  readonly manifest: RuntimeManifest;
  readonly functionsDir: string;
  readonly hostPath: string;
  readonly verifier: TokenVerifier;
  readonly database: OpsDatabase | null;
  readonly log: InvocationLog;
  /** The gateway's environment, from which each function gets only its declared names. */
  readonly env: Readonly<Record<string, string>>;
}

/** The HTTP handler and the function processes it owns. */
export interface Gateway {
  handle(request: Request, info: Deno.ServeHandlerInfo): Promise<Response>;
  stop(): Promise<void>;
}

/** The values of a function's declared variables that are set: its whole environment. */
export function getFunctionEnv(
  declared: readonly string[],
  env: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    declared.filter((name) => name in env).map((name) => [name, env[name]]),
  );
}

/** Builds the gateway: routing, then each function request through the pipeline, then logging. */
export function createGateway(options: GatewayOptions): Gateway {
  const processes = new Map<string, FunctionProcess>();
  const context = {
    verifier: options.verifier,
    database: options.database,
    getProcess(name: string, settings: FunctionSettings): FunctionProcess {
      let process = processes.get(name);
      if (!process) {
        process = new FunctionProcess({
          name,
          functionsDir: options.functionsDir,
          memoryLimitMb: settings.memoryLimitMb,
          env: getFunctionEnv(settings.env, options.env),
          hostPath: options.hostPath,
        });
        processes.set(name, process);
      }
      return process;
    },
  };

  async function handle(request: Request, info: Deno.ServeHandlerInfo): Promise<Response> {
    const requestId = crypto.randomUUID();
    const started = performance.now();
    const url = new URL(request.url);
    const route = getRoute(request.method, url.pathname);
    if (route.kind === "health") return withHeaders(Response.json({ status: "ok" }), requestId);
    const settings = route.kind === "function" ? options.manifest.functions[route.name] : undefined;
    if (route.kind !== "function" || settings === undefined) {
      writeLog({
        level: "info",
        msg: "no such function",
        path: url.pathname,
        status: 404,
        requestId,
      });
      return withHeaders(createNotFound(url.pathname, requestId), requestId);
    }
    const call = {
      request,
      info,
      name: route.name,
      path: route.path + url.search,
      settings,
      requestId,
    };
    const outcome = await serveSafely(call);
    const cors = getCorsHeaders(settings.corsOrigins, request.headers.get("origin"));
    const response = withHeaders(outcome.response, requestId, cors);
    options.log.record({
      functionName: route.name,
      status: response.status,
      durationMs: performance.now() - started,
      bootMs: outcome.bootMs,
      requestId,
      userId: outcome.userId,
      errorCode: outcome.errorCode,
    });
    return response;
  }

  async function serveSafely(call: FunctionRequest): Promise<Outcome> {
    try {
      return await serveFunction(context, call);
    } catch (error) {
      // A bug in the gateway itself: logged, never shown to the caller.
      writeLog({
        level: "error",
        msg: "gateway error",
        requestId: call.requestId,
        error: describeError(error),
      });
      const response = createErrorResponse(
        500,
        { code: "gateway_error", message: "The gateway failed to handle this request." },
        { requestId: call.requestId },
      );
      return { response, errorCode: "gateway_error", bootMs: null, userId: null };
    }
  }

  return {
    handle,
    async stop(): Promise<void> {
      await Promise.all([...processes.values()].map((p) => p.stop()));
    },
  };
}

function createNotFound(pathname: string, requestId: string): Response {
  return createErrorResponse(
    404,
    {
      code: "function_not_found",
      message: `No function is served at ${JSON.stringify(pathname)}. Call /functions/v1/<name> with a deployed function's name.`,
    },
    { requestId },
  );
}

/** Every response carries x-request-id; function responses also the gateway's CORS headers. */
function withHeaders(
  response: Response,
  requestId: string,
  cors: Record<string, string> = {},
): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(cors)) headers.set(name, value);
  headers.set("x-request-id", requestId);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
