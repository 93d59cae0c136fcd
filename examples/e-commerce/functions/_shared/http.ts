/**
 * JSON responses and errors in the runtime's shape:
 * `{ "error": { "code": "<snake_case>", "message": "...", "requestId": "..." } }`.
 * A handler throws HttpError for what the caller should see; `serveJson` turns it, and any
 * database error it recognises, into that body. Anything else becomes a 500 whose body names
 * only the request id: an exception's text or stack never reaches the caller.
 */
import { type HttpError, toHttpError } from "./errors.ts";

/** The request id header the gateway sets on every request it forwards. */
export const REQUEST_ID_HEADER = "x-orgstack-request-id";

/** What a handler gets besides the request. */
export interface RequestContext {
  /** The gateway's request id (a fresh one when the function runs without the gateway). */
  readonly requestId: string;
}

/** A function's business logic: may throw HttpError, or let database errors propagate. */
export type JsonHandler = (request: Request, context: RequestContext) => Promise<Response>;

/** A JSON response; `status` defaults to 200. */
export function jsonResponse(body: unknown, options: { status?: number } = {}): Response {
  return new Response(JSON.stringify(body), {
    status: options.status ?? 200,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/** The JSON error body for `error`, with the request id in the body and the header. */
export function errorResponse(error: HttpError, requestId: string): Response {
  const body = { error: { code: error.code, message: error.message, requestId } };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: {
      ...error.headers,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": requestId,
    },
  });
}

/**
 * Wraps a handler for `Deno.serve`: every thrown error becomes one JSON error response, and an
 * unexpected one is logged (one JSON line with the request id) instead of being shown.
 */
export function serveJson(handler: JsonHandler): (request: Request) => Promise<Response> {
  return async (request) => {
    const requestId = request.headers.get(REQUEST_ID_HEADER) ?? crypto.randomUUID();
    try {
      return await handler(request, { requestId });
    } catch (error) {
      const failure = toHttpError(error);
      if (failure.status >= 500) logFailure(requestId, error);
      return errorResponse(failure, requestId);
    }
  };
}

function logFailure(requestId: string, error: unknown): void {
  // The stack goes to the log only: it is for whoever runs the stack, never for the caller.
  const detail =
    error instanceof Error
      ? { name: error.name, message: error.message, stack: error.stack }
      : { error: String(error) };
  console.error(JSON.stringify({ level: "error", requestId, ...detail }));
}
