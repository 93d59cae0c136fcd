import { authenticate, type TokenVerifier } from "./auth.ts";
import { readBodyWithLimit } from "./body-limit.ts";
import { answerPreflight, hasCorsHeaders, isPreflight, removeCorsHeaders } from "./cors.ts";
import type { OpsDatabase } from "./database.ts";
import { createErrorResponse, type Refusal } from "./errors.ts";
import { getForwardedHeaders } from "./forwarding.ts";
import type { FunctionProcess } from "./function-process.ts";
import { FUNCTION_ERROR_HEADER } from "./function-protocol.ts";
import { invokeFunction } from "./invoke.ts";
import type { FunctionSettings } from "./manifest.ts";
import { getRateLimitSubject, takeRateLimitToken } from "./rate-limit.ts";

/** What the steps need from the gateway. */
export interface PipelineContext {
  readonly verifier: TokenVerifier;
  readonly database: OpsDatabase | null;
  getProcess(name: string, settings: FunctionSettings): FunctionProcess;
}

/** One request routed to a declared function. */
export interface FunctionRequest {
  readonly request: Request;
  readonly info: Deno.ServeHandlerInfo;
  readonly name: string;
  /** `/<name>/<sub-path>?<query>` */
  readonly path: string;
  readonly settings: FunctionSettings;
  readonly requestId: string;
}

/** A response before x-request-id and CORS are added, and what the invocation row records. */
export interface Outcome {
  readonly response: Response;
  readonly errorCode: string | null;
  readonly bootMs: number | null;
  readonly userId: string | null;
}

/**
 * Serves one function request, in order: preflight and method (no function code runs), auth,
 * the forwarded headers and the body (under the body limit and the function's deadline), then
 * the rate limit, so a request refused or failed before the function was never charged a token.
 */
export async function serveFunction(
  context: PipelineContext,
  call: FunctionRequest,
): Promise<Outcome> {
  const early = answerBeforeCaller(call);
  if (early) return early;
  const auth = await authenticate(call.settings.auth, call.request.headers, context.verifier);
  if ("status" in auth) return refuse(call, auth, null);
  const userId = typeof auth.claims?.sub === "string" ? auth.claims.sub : null;
  const clientAddress = (call.info.remoteAddr as Deno.NetAddr).hostname ?? "unknown";
  const headers = getForwardedHeaders(call.request.headers, {
    requestId: call.requestId,
    claims: auth.claims,
    clientAddress,
  });
  const body = await readBodyWithLimit(call.request, {
    limitBytes: call.settings.bodyLimitBytes,
    timeoutMs: call.settings.timeoutMs,
  });
  if ("status" in body) return refuse(call, body, userId);
  if (call.settings.rateLimit && context.database) {
    const limited = await takeRateLimitToken(context.database, {
      functionName: call.name,
      subject: await getRateLimitSubject(userId, clientAddress),
      limit: call.settings.rateLimit,
    });
    if (limited) return refuse(call, limited, userId);
  }
  return callFunction(context, call, { headers, userId, body: body.body });
}

/** Preflight, plain OPTIONS and undeclared methods: answered from the settings alone. */
function answerBeforeCaller(call: FunctionRequest): Outcome | null {
  const { request, settings } = call;
  if (isPreflight(request)) {
    const answer = answerPreflight(settings, request);
    if ("status" in answer) return refuse(call, answer, null);
    return answer204(answer.headers);
  }
  const allow = [...settings.methods, "OPTIONS"].join(", ");
  if (request.method === "OPTIONS") return answer204({ allow });
  if (settings.methods.includes(request.method)) return null;
  return refuse(
    call,
    {
      status: 405,
      code: "method_not_allowed",
      message: `Method ${request.method} is not allowed here. Use ${settings.methods.join(", ")}.`,
      headers: { allow },
    },
    null,
  );
}

async function callFunction(
  context: PipelineContext,
  call: FunctionRequest,
  caller: {
    readonly headers: Headers;
    readonly userId: string | null;
    readonly body: Uint8Array<ArrayBuffer> | null;
  },
): Promise<Outcome> {
  const result = await invokeFunction(context.getProcess(call.name, call.settings), {
    name: call.name,
    method: call.request.method,
    path: call.path,
    headers: caller.headers,
    body: caller.body,
    timeoutMs: call.settings.timeoutMs,
    callerSignal: call.request.signal,
  });
  if ("status" in result) return { ...refuse(call, result, caller.userId), bootMs: result.bootMs };
  return {
    response: cleanFunctionResponse(result.response, call.requestId),
    errorCode: result.response.headers.has(FUNCTION_ERROR_HEADER) ? "function_error" : null,
    bootMs: result.bootMs,
    userId: caller.userId,
  };
}

/**
 * The function's response as the caller gets it: CORS headers are the gateway's alone, and the
 * host's bare 500 for a thrown exception becomes the JSON error (the stack stays in the log).
 */
function cleanFunctionResponse(response: Response, requestId: string): Response {
  if (response.headers.has(FUNCTION_ERROR_HEADER)) {
    response.body?.cancel();
    return createErrorResponse(
      500,
      { code: "function_error", message: "The function failed while handling this request." },
      { requestId },
    );
  }
  // Most functions set no CORS headers: then the gateway's one copy (withHeaders) is enough.
  if (!hasCorsHeaders(response.headers)) return response;
  const headers = new Headers(response.headers);
  removeCorsHeaders(headers);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

function refuse(call: FunctionRequest, refusal: Refusal, userId: string | null): Outcome {
  return {
    response: createErrorResponse(refusal.status, refusal, {
      requestId: call.requestId,
      headers: refusal.headers,
    }),
    errorCode: refusal.code,
    bootMs: null,
    userId,
  };
}

function answer204(headers: Record<string, string>): Outcome {
  return {
    response: new Response(null, { status: 204, headers }),
    errorCode: null,
    bootMs: null,
    userId: null,
  };
}
