import type { z } from "zod";
import { BACKUP_SHAPES } from "./backup";
import { describeUnknownDatabaseKey, getSslModeHint } from "./database";
import { FUNCTIONS_SHAPES } from "./functions";
import { getValueAt, quoteKey, SECRET_SHOWN } from "./keys";
import { getShow, isSecretKey, type RawStackConfig } from "./raw";
import { RETENTION_SCHEMA } from "./retention";
import { STACK_CONFIG_SCHEMA } from "./schema";

export interface IssueContext {
  readonly raw: RawStackConfig;
  /** The decoded namespace the issue was found in. */
  readonly input: Readonly<Record<string, unknown>>;
}

/**
 * The messages for one zod issue: the key path, what was expected and what was found, never a
 * secret's value. An issue naming several unknown keys gives one message per key.
 */
export function describeIssue(issue: z.core.$ZodIssue, context: IssueContext): string[] {
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => describeUnknownKey(path, key, context));
  }
  const key = quoteKey(path.join("."));
  const expected = describeExpectation(issue);
  if (path.length > 0 && isSecretKey(context.raw, path[0])) {
    return [`${key}: expected ${expected}; found ${SECRET_SHOWN}.`];
  }
  const value = getValueAt(context.input, path);
  const hint = path.join(".") === "database.sslmode" ? getSslModeHint(value) : "";
  return [`${key}: expected ${expected}; found ${describeValue(value)}.${hint}`];
}

function describeUnknownKey(path: readonly string[], key: string, context: IssueContext): string {
  if (path[0] === "database") {
    const mode = getValueAt(context.input, ["database", "mode"]);
    return describeUnknownDatabaseKey(key, mode, getShow(context.raw, "database"));
  }
  const nested: Record<string, object> = {
    retention: RETENTION_SCHEMA.shape,
    ...FUNCTIONS_SHAPES,
    ...BACKUP_SHAPES,
  };
  const shape = nested[path.join(".")] ?? STACK_CONFIG_SCHEMA.shape;
  const allowed = Object.keys(shape).join(", ");
  return `${quoteKey([...path, key].join("."))} is not a known key. Allowed keys: ${allowed}.`;
}

function describeExpectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_value":
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_type":
      if (issue.expected === "int") return "an integer";
      return `${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`;
    case "too_small":
      return issue.origin === "string"
        ? "a non-empty string"
        : `a number of at least ${issue.minimum}`;
    case "too_big":
      return `a number of at most ${issue.maximum}`;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}
