import { z } from "zod";

/** The maintenance part of the configuration: `orgstack:retention`, read by the cron jobs. */

/** One day up to a century: a whole number of days a row is kept. */
const days = z.number().int().min(1).max(36500);

/** `orgstack:retention`, each period with its default. */
export const RETENTION_SCHEMA = z.strictObject({
  auditLogDays: days.default(365),
  readNotificationDays: days.default(90),
  cronHistoryDays: days.default(7),
  functionInvocationDays: days.default(30),
});

/** The retention part's top-level key: an absent object gets every period's default. */
export const RETENTION_SHAPE = { retention: RETENTION_SCHEMA.prefault({}) };

/** How long the maintenance jobs keep data, in days. */
export interface RetentionConfig {
  /** Audit rows older than this are deleted. Default 365. */
  readonly auditLogDays: number;
  /** Notifications read longer ago than this are deleted. Default 90. */
  readonly readNotificationDays: number;
  /** pg_cron run history older than this is deleted. Default 7. */
  readonly cronHistoryDays: number;
  /** Edge-function invocation rows older than this are deleted. Default 30. */
  readonly functionInvocationDays: number;
}
