import type { TokenVerifier } from "./auth.ts";
import { getCorsHeaders } from "./cors.ts";
import type { OpsDatabase } from "./database.ts";
import { createErrorResponse } from "./errors.ts";
import { FunctionProcess } from "./function-process.ts";
import { BEHIND_GATEWAY_ENV } from "./function-protocol.ts";
import {
  type FunctionRequest,
  type Outcome,
  type PipelineContext,
  serveFunction,
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
  /** Function requests served at once; MAX_IN_FLIGHT unless a test needs a small number. */
  readonly maxInFlight?: number;
}

/**
 * Function requests the gateway serves at once; beyond it a caller gets 503 with Retry-After.
 * Each holds a socket, a body buffer (up to its limit, 6 MiB by default) and a database
 * connection's turn, so an unbounded number (slow clients, a flood) exhausts memory or file
 * descriptors for everyone. 512 is well above the 200 concurrent requests the suite proves.
 */
export const MAX_IN_FLIGHT = 512;

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
  #inFlight = 0;
  #maxInFlight: number;

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.#maxInFlight = options.maxInFlight ?? MAX_IN_FLIGHT;
    this.#context = {
      verifier: options.verifier,
      database: options.database,
      getProcess: (name, settings) => this.#getProcess(name, settings),
    };
  }

  /** The Deno.serve handler: always a JSON answer, even when the gateway itself fails. */
  async handle(request: Request, info: Deno.ServeHandlerInfo): Promise<Response> {
    const requestId = crypto.randomUUID();
    try {
      return await this.#route(request, info, requestId);
    } catch (error) {
      return createGatewayError(requestId, error);
    }
  }

  async #route(
    request: Request,
    info: Deno.ServeHandlerInfo,
    requestId: string,
  ): Promise<Response> {
    const url = new URL(request.url);
    const route = getRoute(request.method, url.pathname);
    if (route.kind === "health") return withHeaders(Response.json({ status: "ok" }), requestId);
    const functions = this.#options.manifest.functions;
    // Own keys only: `constructor` or `toString` are names of Object.prototype, not functions.
    if (route.kind !== "function" || !Object.hasOwn(functions, route.name)) {
      writeLog({
        level: "info",
        msg: "no such function",
        path: url.pathname,
        status: 404,
        requestId,
      });
      return withHeaders(createNotFound(url.pathname, requestId), requestId);
    }
    if (this.#inFlight >= this.#maxInFlight) return createBusy(requestId);
    this.#inFlight++;
    try {
      const call = { request, info, name: route.name, path: route.path + url.search, requestId };
      return await this.#serveFunction({ ...call, settings: functions[route.name] });
    } finally {
      this.#inFlight--;
    }
  }

  async #serveFunction(call: FunctionRequest): Promise<Response> {
    const started = performance.now();
    const outcome = await this.#serveSafely(call);
    const origin = call.request.headers.get("origin");
    const response = withHeaders(
      outcome.response,
      call.requestId,
      getCorsHeaders(call.settings.corsOrigins, origin),
    );
    this.#options.log.record({
      functionName: call.name,
      status: response.status,
      durationMs: performance.now() - started,
      bootMs: outcome.bootMs,
      requestId: call.requestId,
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
      const response = createGatewayError(call.requestId, error);
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

/** A bug in the gateway itself: logged, never shown to the caller, and still JSON. */
export function createGatewayError(requestId: string, error: unknown): Response {
  writeLog({ level: "error", msg: "gateway error", requestId, error: describeError(error) });
  return createErrorResponse(
    500,
    { code: "gateway_error", message: "The gateway failed to handle this request." },
    { requestId, headers: { "x-request-id": requestId } },
  );
}

/** Past MAX_IN_FLIGHT: shed the request at once rather than queue it behind the others. */
function createBusy(requestId: string): Response {
  return createErrorResponse(
    503,
    {
      code: "gateway_busy",
      message: "The gateway is handling too many requests. Try again shortly.",
    },
    { requestId, headers: { "retry-after": "1", "x-request-id": requestId } },
  );
}

function createNotFound(pathname: string, requestId: string): Response {
  return createErrorResponse(
    404,
    {
      code: "function_not_found",
      message: `No function is served at ${JSON.stringify(
        pathname,
      )}. Call /functions/v1/<name> with a deployed function's name.`,
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
  for (const [name, value] of Object.entries(cors)) {
    if (name === "vary") addVary(headers, value);
    else headers.set(name, value);
  }
  headers.set("x-request-id", requestId);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** Adds a field to Vary, keeping the function's own (Accept-Encoding, say). */
function addVary(headers: Headers, field: string): void {
  const fields = (headers.get("vary") ?? "")
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  if (fields.some((f) => f === "*" || f.toLowerCase() === field.toLowerCase())) return;
  headers.set("vary", [...fields, field].join(", "));
}
