import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { getEnvironment, TYPES } from "../lib/resources";

/** What holds data, by type: what `destroy` or a replacement would lose. */
function describeDataHolder(resource: PolicyResource): string | undefined {
  switch (resource.type) {
    case TYPES.database:
      return "the stack's database";
    case TYPES.volume:
      return "a Docker volume";
    case TYPES.migrations:
      return "the migration history";
    case TYPES.role:
      return resource.props["login"] === true ? "a login role" : undefined;
    default:
      return undefined;
  }
}

/**
 * The engine tells policies `protect` but not `retainOnDelete` (its AnalyzerResourceOptions
 * carry no such field), so protect is what counts; a retainOnDelete that a future engine
 * passes is accepted too.
 */
function isKept(resource: PolicyResource): boolean {
  const opts = resource.opts as { protect?: boolean; retainOnDelete?: boolean };
  return opts.protect === true || opts.retainOnDelete === true;
}

export function validateProductionData(
  resources: readonly PolicyResource[],
  report: ReportViolation,
): void {
  const found = getEnvironment(resources);
  if ("problem" in found) return report(found.problem);
  if (found.environment !== "production") return;
  for (const resource of resources) {
    const what = describeDataHolder(resource);
    if (what === undefined || isKept(resource)) continue;
    report(
      `'${resource.name}' (${resource.type}) holds data (${what}) in production but is not ` +
        `protected. Set 'orgstack:protect: true' (production's default) or give it ` +
        `'protect: true' where it is created.`,
      resource.urn,
    );
  }
}

export const productionProtectsData: StackValidationPolicy = {
  name: "production-protects-data",
  description:
    "In production, the database, volumes, migration history and login roles are protected.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => validateProductionData(args.resources, report),
};
