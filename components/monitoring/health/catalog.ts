import { PLATFORM_CHECKS } from "./platform-checks";
import { ACTIVITY_CHECKS } from "./server-checks";
import { STORAGE_CHECKS } from "./storage-checks";
import type { HealthCheck } from "./types";

/**
 * The health catalog: the single source of ops.health()'s checks, thresholds and runbooks.
 * sql/objects/ops/views/health_catalog.sql and sql/objects/ops/functions/health_values.sql
 * are rendered from it (./render.ts).
 */
export const HEALTH_CATALOG: readonly HealthCheck[] = [
  ...ACTIVITY_CHECKS,
  ...STORAGE_CHECKS,
  ...PLATFORM_CHECKS,
];
