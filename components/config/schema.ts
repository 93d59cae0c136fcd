import { z } from "zod";
import { BACKUP_ENCRYPTION_KEY, BACKUP_SHAPE } from "./backup";
import { DATABASE_PASSWORD_KEY, DATABASE_SHAPE, expandDatabaseIssue } from "./database";
import { ENVIRONMENT_SHAPE } from "./environment";
import { FUNCTIONS_SHAPE, JWT_SECRET_KEY, SUPABASE_ACCESS_TOKEN_KEY } from "./functions";
import { getValueAt } from "./keys";
import { ALERT_WEBHOOK_URL_KEY, MONITORING_SHAPE } from "./monitoring";
import { RETENTION_SHAPE } from "./retention";

/** The whole namespace: each part's top-level keys, in the order messages list them. */
export const STACK_CONFIG_SCHEMA = z.strictObject({
  ...ENVIRONMENT_SHAPE,
  ...DATABASE_SHAPE,
  ...RETENTION_SHAPE,
  ...FUNCTIONS_SHAPE,
  ...BACKUP_SHAPE,
  ...MONITORING_SHAPE,
});

export type ParsedStackConfig = z.infer<typeof STACK_CONFIG_SCHEMA>;

/** Top-level keys whose values are credentials: they must be set with `pulumi config set --secret`. */
export const SECRET_KEYS: readonly string[] = [
  DATABASE_PASSWORD_KEY,
  JWT_SECRET_KEY,
  SUPABASE_ACCESS_TOKEN_KEY,
  BACKUP_ENCRYPTION_KEY,
  ALERT_WEBHOOK_URL_KEY,
];

export interface ParsedInput {
  /** Undefined when an issue other than an unknown key leaves no usable value. */
  readonly data?: ParsedStackConfig;
  readonly issues: readonly z.core.$ZodIssue[];
}

/**
 * Parses the decoded namespace. A key its schema does not have, such as one of another mode, is
 * reported and then left out: the rules across keys still run on the rest, so every problem is
 * listed at once. Any other issue leaves no data.
 */
export function parseStackConfig(input: Readonly<Record<string, unknown>>): ParsedInput {
  const first = STACK_CONFIG_SCHEMA.safeParse(input);
  if (first.success) return { data: first.data, issues: [] };
  const issues = first.error.issues.flatMap((issue) => expandDatabaseIssue(issue, input.database));
  if (issues.some((issue) => issue.code !== "unrecognized_keys")) return { issues };
  const second = STACK_CONFIG_SCHEMA.safeParse(omitUnknownKeys(input, issues));
  return { data: second.success ? second.data : undefined, issues };
}

function omitUnknownKeys(
  input: Readonly<Record<string, unknown>>,
  issues: readonly z.core.$ZodIssue[],
): Record<string, unknown> {
  const copy = structuredClone(input) as Record<string, unknown>;
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const node = getValueAt(copy, issue.path.map(String)) as Record<string, unknown>;
    for (const key of issue.keys) delete node[key];
  }
  return copy;
}
