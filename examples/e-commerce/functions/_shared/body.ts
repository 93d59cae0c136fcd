/**
 * Reading a JSON body with a zod schema. Each failure is one 400 or 415 whose message names the
 * field, shows the value sent and says what is allowed.
 */
import { z } from "npm:zod@^4.6.7";
import { HttpError } from "./errors.ts";

/** Longest value shown back in a message; a body may be megabytes. */
const MAX_SHOWN_VALUE_LENGTH = 60;

/**
 * Parses the request's body as JSON and validates it with `schema`. Throws HttpError 415
 * (unsupported_media_type) unless Content-Type is application/json, 400 (invalid_json) for
 * text that is not JSON, and 400 (invalid_body) listing every field zod refused.
 */
export async function parseJsonBody<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<z.output<T>> {
  const type = request.headers.get("content-type");
  if (!type || !/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError({
      status: 415,
      code: "unsupported_media_type",
      message: `Content-Type must be application/json; got ${type ? JSON.stringify(type) : "none"}.`,
    });
  }
  const value = parseJson(await request.text());
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HttpError({
      status: 400,
      code: "invalid_body",
      message: `The body is invalid: ${describeIssues(result.error.issues, value)}.`,
    });
  }
  return result.data;
}

function parseJson(text: string): unknown {
  if (text.trim() === "") {
    throw new HttpError({
      status: 400,
      code: "invalid_json",
      message: "The body is empty; send a JSON object.",
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // The parser's message is about the caller's own text (what and where), nothing internal.
    const reason = error instanceof SyntaxError ? `: ${error.message}` : "";
    throw new HttpError({
      status: 400,
      code: "invalid_json",
      message: `The body is not valid JSON${reason}.`,
    });
  }
}

/** "email: Invalid email address (got "x"); role: ..." for every issue, in zod's order. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  return issues.map((issue) => describeIssue(issue, input)).join("; ");
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
  const value = getAt(input, issue.path);
  const shown = value === undefined || typeof value === "object" ? "" : ` (got ${show(value)})`;
  return `${path}: ${issue.message}${shown}`;
}

function getAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > MAX_SHOWN_VALUE_LENGTH ? `${text.slice(0, MAX_SHOWN_VALUE_LENGTH)}…` : text;
}
