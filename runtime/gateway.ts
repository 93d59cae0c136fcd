import { authenticate, type Claims, type TokenVerifier } from "./auth.ts";
import { readBodyWithLimit } from "./body-limit.ts";
import { answerPreflight, getCorsHeaders, isPreflight, removeCorsHeaders } from "./cors.ts";
import type { OpsDatabase } from "./database.ts";
import { createErrorResponse, type Refusal } from "./errors.ts";
import { getForwardedHeaders } from "./forwarding.ts";
import { FunctionProcess } from "./function-process.ts";
import { FUNCTION_ERROR_HEADER } from "./function-protocol.ts";
import type { InvocationLog } from "./invocation-log.ts";
import type { FunctionSettings, RuntimeManifest } from "./manifest.ts";
import { getRateLimitSubject, takeRateLimitToken } from "./rate-limit.ts";
import { getRoute } from "./routing.ts";
import { invokeFunction } from "./invoke.ts";

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

/** The outcome of one request before the x-request-id and CORS headers are added. */
interface Outcome {
  readonly response: Response;
  readonly errorCode: string | null;
  readonly bootMs: number | null;
  readonly userId: string | null;
}

/** The HTTP handler and the function processes it owns. */
export interface Gateway {
  handle(request: Request, info: Deno.ServeHandlerInfo): Promise<Response>;
  stop(): Promise<void>;
}

/** Builds the gateway: routing, CORS, method, auth, rate limit, body limit, then the function. */
export function createGateway(options: GatewayOptions): Gateway {
  const processes = new Map<string, FunctionProcess>();
  function getProcess(name: string, settings: FunctionSettings): FunctionProcess {
    let process = processes.get(name);
    if (!process) {
      const env = Object.fromEntries(
        settings.env.filter((n) => n in options.env).map((n) => [n, options.env[n]]),
      );
      process = new FunctionProcess({
        name,
        functionsDir: options.functionsDir,
        memoryLimitMb: settings.memoryLimitMb,
        env,
        hostPath: options.hostPath,
      });
      processes.set(name, process);
    }
    return process;
  }

  async function handle(request: Request, info: Deno.ServeHandlerInfo): Promise<Response> {
    const requestId = crypto.randomUUID();
    const started = performance.now();
    const url = new URL(request.url);
    const route = getRoute(request.method, url.pathname);
    if (route.kind === "health") {
      return withRequestId(Response.json({ status: "ok" }), requestId);
    }
    const settings = route.kind === "function" ? options.manifest.functions[route.name] : undefined;
    if (route.kind !== "function" || settings === undefined) {
      return respondRefusal(
        {
          status: 404,
          code: "function_not_found",
          message: `No function is served at ${JSON.stringify(url.pathname)}. Call /functions/v1/<name> with a deployed function's name.`,
        },
        requestId,
      );
    }
    const cors = getCorsHeaders(settings.corsOrigins, request.headers.get("origin"));
    let outcome: Outcome;
    try {
      outcome = await serveFunction({
        request,
        info,
        name: route.name,
        path: route.path + url.search,
        settings,
        requestId,
      });
    } catch (error) {
      // A bug in the gateway itself: logged with its name, never shown to the caller.
      console.error(error);
      outcome = {
        response: createErrorResponse(
          500,
          { code: "gateway_error", message: "The gateway failed to handle this request." },
          { requestId },
        ),
        errorCode: "gateway_error",
        bootMs: null,
        userId: null,
      };
    }
    const response = withRequestId(outcome.response, requestId, cors);
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

  async function serveFunction(call: {
    request: Request;
    info: Deno.ServeHandlerInfo;
    name: string;
    path: string;
    settings: FunctionSettings;
    requestId: string;
  }): Promise<Outcome> {
    const { request, settings, requestId } = call;
    const refuse = (refusal: Refusal, userId: string | null = null): Outcome => ({
      response: createErrorResponse(refusal.status, refusal, {
        requestId,
        headers: refusal.headers,
      }),
      errorCode: refusal.code,
      bootMs: null,
      userId,
    });
    if (isPreflight(request)) {
      const answer = answerPreflight(settings, request);
      if ("status" in answer) return refuse(answer);
      return {
        response: new Response(null, { status: 204, headers: answer.headers }),
        errorCode: null,
        bootMs: null,
        userId: null,
      };
    }
    const allow = [...settings.methods, "OPTIONS"].join(", ");
    if (request.method === "OPTIONS") {
      return {
        response: new Response(null, { status: 204, headers: { allow } }),
        errorCode: null,
        bootMs: null,
        userId: null,
      };
    }
    if (!settings.methods.includes(request.method)) {
      return refuse({
        status: 405,
        code: "method_not_allowed",
        message: `Method ${request.method} is not allowed here. Use ${settings.methods.join(", ")}.`,
        headers: { allow },
      });
    }
    const auth = await authenticate(settings.auth, request.headers, options.verifier);
    if ("status" in auth) return refuse(auth);
    const userId = getUserId(auth.claims);
    const clientAddress = getClientAddress(call.info);
    if (settings.rateLimit && options.database) {
      const limited = await takeRateLimitToken(options.database, {
        functionName: call.name,
        subject: getRateLimitSubject(userId, clientAddress),
        limit: settings.rateLimit,
      });
      if (limited) return refuse(limited, userId);
    }
    const body = await readBodyWithLimit(request, settings.bodyLimitBytes);
    if ("status" in body) return refuse(body, userId);
    const headers = getForwardedHeaders(request.headers, {
      requestId,
      claims: auth.claims,
      clientAddress,
    });
    const result = await invokeFunction(getProcess(call.name, settings), {
      name: call.name,
      method: request.method,
      path: call.path,
      headers,
      body: body.body,
      timeoutMs: settings.timeoutMs,
    });
    if ("status" in result) return { ...refuse(result, userId), bootMs: result.bootMs };
    return {
      response: cleanFunctionResponse(result.response, requestId),
      errorCode: result.errorCode,
      bootMs: result.bootMs,
      userId,
    };
  }

  function cleanFunctionResponse(response: Response, requestId: string): Response {
    if (response.headers.has(FUNCTION_ERROR_HEADER)) {
      response.body?.cancel();
      return createErrorResponse(
        500,
        { code: "function_error", message: "The function failed while handling this request." },
        { requestId },
      );
    }
    const headers = new Headers(response.headers);
    removeCorsHeaders(headers);
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  }

  return {
    handle,
    async stop(): Promise<void> {
      await Promise.all([...processes.values()].map((p) => p.stop()));
    },
  };
}

function respondRefusal(refusal: Refusal, requestId: string): Response {
  return withRequestId(
    createErrorResponse(refusal.status, refusal, { requestId, headers: refusal.headers }),
    requestId,
  );
}

function withRequestId(
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

function getUserId(claims: Claims | null): string | null {
  return typeof claims?.sub === "string" ? claims.sub : null;
}

function getClientAddress(info: Deno.ServeHandlerInfo): string {
  const address = info.remoteAddr as Deno.NetAddr;
  return address.hostname ?? "unknown";
}
