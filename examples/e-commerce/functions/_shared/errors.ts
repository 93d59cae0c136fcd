/**
 * HttpError, the failure a handler means the caller to see, and the mapping of database errors
 * to it. Only errors raised for callers are passed on: the SQLSTATEs below come from guards,
 * policies, constraints and the platform's functions, whose messages and hints are written for
 * API callers (PostgREST shows them too). Anything else is an internal error.
 */

/** What a failure tells the caller: an HTTP status, a stable code and a sentence for them. */
export interface HttpErrorInit {
  readonly status: number;
  /** snake_case and stable: clients branch on it. */
  readonly code: string;
  readonly message: string;
  readonly headers?: Record<string, string>;
}

/** A failure meant for the caller: its message is written for them and is sent as is. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(init: HttpErrorInit) {
    super(init.message);
    this.name = "HttpError";
    this.status = init.status;
    this.code = init.code;
    this.headers = init.headers ?? {};
  }
}

/** SQLSTATE -> status and code, for errors whose message is written for the caller. */
const CALLER_ERRORS: Readonly<Record<string, { status: number; code: string }>> = {
  "42501": { status: 403, code: "forbidden" }, // insufficient_privilege: guards, RLS checks
  "23505": { status: 409, code: "conflict" }, // unique_violation
  "23503": { status: 409, code: "conflict" }, // foreign_key_violation
  "23514": { status: 400, code: "invalid_value" }, // check_violation: constraints, role guards
  "23502": { status: 400, code: "invalid_value" }, // not_null_violation
  "22023": { status: 400, code: "invalid_value" }, // invalid_parameter_value
  "22P02": { status: 400, code: "invalid_value" }, // invalid_text_representation
  "22001": { status: 400, code: "invalid_value" }, // string_data_right_truncation
  P0002: { status: 404, code: "not_found" }, // no_data_found
};

/**
 * A constraint's own error names the table and constraint ("duplicate key value violates unique
 * constraint ..."): internals a caller should not learn. It gets a sentence per kind instead;
 * the platform's raises (guards, functions) carry no constraint and keep their written message.
 */
const CONSTRAINT_MESSAGES: Readonly<Record<string, string>> = {
  "23505": "A row with these values already exists.",
  "23503": "The row refers to something that does not exist or that you cannot see.",
  "23514": "A value is not allowed here.",
  "23502": "A required value is missing.",
};

/** The database cannot take work now: the caller may retry. */
const UNAVAILABLE_CODES = new Set([
  "57P01", // admin_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
]);

/** The HttpError for an error a handler let through; an internal_error if it is not known. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const code = getErrorCode(error);
  const known = code === undefined ? undefined : CALLER_ERRORS[code];
  if (known && error instanceof Error) {
    return new HttpError({ ...known, message: getCallerMessage(error, code!) });
  }
  if ((code && UNAVAILABLE_CODES.has(code)) || isPoolTimeout(error)) {
    return new HttpError({
      status: 503,
      code: "database_unavailable",
      message: "The database is not reachable right now; try again shortly.",
      headers: { "retry-after": "1" },
    });
  }
  return new HttpError({
    status: 500,
    code: "internal_error",
    message: "The function failed. The request id identifies the failure in the logs.",
  });
}

/** The guard's own message and hint, or the constraint kind's sentence. */
function getCallerMessage(error: Error, code: string): string {
  const { hint, constraint } = error as { hint?: unknown; constraint?: unknown };
  if (typeof constraint === "string" && CONSTRAINT_MESSAGES[code]) return CONSTRAINT_MESSAGES[code];
  return typeof hint === "string" && hint ? `${error.message} ${hint}` : error.message;
}

function getErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** pg's Pool rejects with this message when no connection frees up in connectionTimeoutMillis. */
function isPoolTimeout(error: unknown): boolean {
  return error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message);
}
