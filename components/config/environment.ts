import { z } from "zod";
import { quoteKey } from "./keys";

/**
 * The top-level part of the configuration: what the stack is for (`orgstack:environment`) and
 * whether what holds data is protected (`orgstack:protect`).
 */

const ENVIRONMENTS = ["local", "ephemeral", "staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The environment part's top-level keys. */
export const ENVIRONMENT_SHAPE = {
  environment: z.enum(ENVIRONMENTS),
  /** Default: true in production only, where false is refused. */
  protect: z.boolean().optional(),
};

/** The environment part's top-level keys as the schema parsed them. */
export interface ParsedEnvironmentPart {
  readonly environment: Environment;
  readonly protect?: boolean;
}

export interface EnvironmentConfig {
  readonly environment: Environment;
  /** Pulumi `protect` on every resource that holds data. Default: true in production only. */
  readonly protect: boolean;
}

/** Fills in `protect`, and refuses an unprotected production stack. */
export function completeEnvironmentConfig(parsed: ParsedEnvironmentPart): {
  config: EnvironmentConfig;
  problems: string[];
} {
  const production = parsed.environment === "production";
  const problems: string[] = [];
  if (production && parsed.protect === false) {
    problems.push(
      `${quoteKey("protect")} must not be false with environment "production": production data is always protected.`,
    );
  }
  return {
    config: { environment: parsed.environment, protect: parsed.protect ?? production },
    problems,
  };
}
