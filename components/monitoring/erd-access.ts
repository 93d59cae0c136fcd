import { COMMANDS, type Command } from "../tenancy/policies";
import { ACCESS_PROFILES, planTenantTable, type AccessProfile } from "../tenancy/plan";

/**
 * Which access profile a deployed table has, told by what TenantTable leaves in the database:
 * its policies, named "<who> can <command> <table>" by the one naming convention
 * (tenancy/policies.ts getPolicyName). Each profile's "who" per command is taken from
 * planTenantTable itself, so a profile changed there is recognised here without a second list.
 */

export type PolicySignature = Readonly<Record<Command, string>>;

/** A stand-in table to plan each profile on: only its policies' "who" parts are kept. */
const SAMPLE_TABLE = "erd_sample";

/** The "who" of a policy named "<who> can <command> <table>", or undefined for another name. */
export function getPolicyWho(
  policyName: string,
  command: Command,
  table: string,
): string | undefined {
  const suffix = ` can ${command} ${table}`;
  return policyName.endsWith(suffix) && policyName.length > suffix.length
    ? policyName.slice(0, -suffix.length)
    : undefined;
}

/** The "who" per command of the policies planTenantTable makes for each profile. */
export function getProfileSignatures(): ReadonlyMap<AccessProfile, PolicySignature> {
  const expression = "true";
  const signatures = new Map<AccessProfile, PolicySignature>();
  for (const access of ACCESS_PROFILES) {
    const specs = planTenantTable(
      {
        table: SAMPLE_TABLE,
        access,
        ownerColumn: access === "owner-rows" ? "owner_id" : undefined,
        policies:
          access === "custom"
            ? { select: expression, insert: expression, update: expression, delete: expression }
            : undefined,
      },
      "components/monitoring/erd-access.ts",
    );
    const names = specs.flatMap((s) => (s.identity.kind === "policy" ? [s.identity.name] : []));
    const signature = getPolicySignature(names, SAMPLE_TABLE);
    if (signature) signatures.set(access, signature);
  }
  return signatures;
}

/** The "who" per command when the table has exactly one policy per command by the convention. */
export function getPolicySignature(
  policyNames: readonly string[],
  table: string,
): PolicySignature | undefined {
  const signature: Partial<Record<Command, string>> = {};
  for (const name of policyNames) {
    const command = COMMANDS.find((c) => getPolicyWho(name, c, table) !== undefined);
    if (command === undefined || signature[command] !== undefined) return undefined;
    signature[command] = getPolicyWho(name, command, table);
  }
  return COMMANDS.every((c) => signature[c] !== undefined)
    ? (signature as PolicySignature)
    : undefined;
}

/** The profile whose policies `table` has, or undefined when they match no profile. */
export function getAccessProfile(
  table: string,
  policyNames: readonly string[],
  signatures: ReadonlyMap<AccessProfile, PolicySignature> = getProfileSignatures(),
): AccessProfile | undefined {
  const found = getPolicySignature(policyNames, table);
  if (!found) return undefined;
  for (const [profile, signature] of signatures) {
    if (COMMANDS.every((c) => signature[c] === found[c])) return profile;
  }
  return undefined;
}
