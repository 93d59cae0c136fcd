import type { TokenVerifier } from "./auth.ts";
import { getCorsHeaders } from "./cors.ts";
import type { OpsDatabase } from "./database.ts";
import { createErrorResponse } from "./errors.ts";
import { FunctionProcess } from "./function-process.ts";
import { BEHIND_GATEWAY_ENV } from "./function-protocol.ts";
import {
  serveFunction,
  type FunctionRequest,
  type Outcome,
  type PipelineContext,
} from "./function-pipeline.ts";
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

/** The values of a function's declared variables that are set, and the gateway marker. */
export function getFunctionEnv(
  declared: readonly string[],
  env: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    ...Object.fromEntries(declared.filter((name) => name in env).map((name) => [name, env[name]])),
    [BEHIND_GATEWAY_ENV]: "1",
  };
}

/**
 * The HTTP side of the runtime: routes each request, runs function requests through the
 * pipeline, adds x-request-id and CORS headers, and records the invocation. It owns the
 * function processes.
 */
export class Gateway {
  #options: GatewayOptions;
  #processes = new Map<string, FunctionProcess>();
  #context: PipelineContext;

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.#context = {
      verifier: options.verifier,
      database: options.database,
      getProcess: (name, settings) => this.#getProcess(name, settings),
    };
  }

  /** The Deno.serve handler. */
  async handle(request: Request, info: Deno.ServeHandlerInfo): Promise<Response> {
    const requestId = crypto.randomUUID();
    const started = performance.now();
    const url = new URL(request.url);
    const route = getRoute(request.method, url.pathname);
    if (route.kind === "health") return withHeaders(Response.json({ status: "ok" }), requestId);
    const functions = this.#options.manifest.functions;
    const settings = route.kind === "function" ? functions[route.name] : undefined;
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
    const path = route.path + url.search;
    const outcome = await this.#serveSafely({
      request,
      info,
      name: route.name,
      path,
      settings,
      requestId,
    });
    const cors = getCorsHeaders(settings.corsOrigins, request.headers.get("origin"));
    const response = withHeaders(outcome.response, requestId, cors);
    this.#options.log.record({
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

  /** Stops every function process. */
  async stop(): Promise<void> {
    await Promise.all([...this.#processes.values()].map((p) => p.stop()));
  }

  async #serveSafely(call: FunctionRequest): Promise<Outcome> {
    try {
      return await serveFunction(this.#context, call);
    } catch (error) {
      // A bug in the gateway itself: logged, never shown to the caller.
      const detail = { requestId: call.requestId, error: describeError(error) };
      writeLog({ level: "error", msg: "gateway error", ...detail });
      const response = createErrorResponse(
        500,
        { code: "gateway_error", message: "The gateway failed to handle this request." },
        { requestId: call.requestId },
      );
      return { response, errorCode: "gateway_error", bootMs: null, userId: null };
    }
  }

  #getProcess(name: string, settings: FunctionSettings): FunctionProcess {
    let process = this.#processes.get(name);
    if (!process) {
      process = new FunctionProcess({
        name,
        functionsDir: this.#options.functionsDir,
        memoryLimitMb: settings.memoryLimitMb,
        env: getFunctionEnv(settings.env, this.#options.env),
        hostPath: this.#options.hostPath,
      });
      this.#processes.set(name, process);
    }
    return process;
  }
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
