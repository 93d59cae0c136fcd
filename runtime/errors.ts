/** The JSON error shape every gateway error uses: `{ error: { code, message, requestId } }`. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly requestId: string };
}

/** Options for {@linkcode createErrorResponse}. */
export interface ErrorResponseOptions {
  readonly requestId: string;
  readonly headers?: HeadersInit;
}

/**
 * A JSON error response. `code` is a stable snake_case name callers can branch on; `message` is
 * for people and never carries an exception's text or stack.
 */
export function createErrorResponse(
  status: number,
  error: { readonly code: string; readonly message: string },
  options: ErrorResponseOptions,
): Response {
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, requestId: options.requestId },
  };
  const headers = new Headers(options.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status, headers });
}

/** A refusal decided by one gateway step: the status and the error the caller sees. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}
