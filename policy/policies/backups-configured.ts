import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { getEnvironment, TYPES } from "../lib/resources";

/** Environments whose data must be backed up. */
const BACKED_UP = ["staging", "production"];

export function validateBackups(
  resources: readonly PolicyResource[],
  report: ReportViolation,
): void {
  const found = getEnvironment(resources);
  if ("problem" in found) return report(found.problem);
  if (!BACKED_UP.includes(found.environment)) return;
  const backups = resources.filter((r) => r.type === TYPES.backups);
  if (backups.length === 0) {
    return report(
      `The ${found.environment} stack has no ${TYPES.backups} component. Deploy it with the ` +
        `Backend component, which creates one from 'orgstack:backup' (docs/backups.md).`,
    );
  }
  for (const component of backups) {
    // A component's props are its registered outputs; under preview they may still be unknown.
    const schedule = component.props["schedule"];
    if (schedule === undefined || (typeof schedule === "string" && schedule.trim() !== "")) {
      continue;
    }
    report(
      `Backups '${component.name}' has no schedule (found ${JSON.stringify(schedule)}). Set ` +
        `'orgstack:backup.schedule' to a cron expression (docs/backups.md).`,
      component.urn,
    );
  }
}

export const backupsConfigured: StackValidationPolicy = {
  name: "backups-configured",
  description: "Staging and production stacks run the orgstack:backup:Backups component.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => validateBackups(args.resources, report),
};
