import { REFERENCE_APP } from "../../app";
import { getSqlObjects, type SqlObjectSpec } from "../../components/schema";
import { planTenantTable } from "../../components/tenancy";
import { TENANT_TABLES } from "../../tables";

/** Every object the reference program declares: the platform's, the core tables' and its own. */
function getDeclaredObjects(): SqlObjectSpec[] {
  const planned = TENANT_TABLES.flatMap((spec) => planTenantTable(spec, spec.table));
  return getSqlObjects(REFERENCE_APP, planned);
}

/** "create policy "<name>" on <table> ... for <command>": the command the SQL says. */
function getCommandOf(definition: string): string | undefined {
  return /^\s*for (select|insert|update|delete)$/m.exec(definition)?.[1];
}

describe("naming convention", () => {
  const objects = getDeclaredObjects();

  it("names every policy '<who> can <command> <table>', with the command its SQL is for", () => {
    const policies = objects.flatMap((o) => (o.identity.kind === "policy" ? [o] : []));
    // The seven core tables and projects, four commands each, and the monitor's reads of
    // ops.backup_runs, ops.alerts and ops.health_thresholds.
    expect(policies).toHaveLength(35);
    const offenders = policies.filter((policy) => {
      if (policy.identity.kind !== "policy") return true;
      const { name, table } = policy.identity;
      const match = /^[a-z][a-z ]* can (select|insert|update|delete) ([a-z_]+)$/.exec(name);
      return !match || match[2] !== table || match[1] !== getCommandOf(policy.definition);
    });
    expect(offenders.map((o) => o.source)).toEqual([]);
  });

  it("names every trigger '<table>_<action>'", () => {
    const triggers = objects.flatMap((o) => (o.identity.kind === "trigger" ? [o.identity] : []));
    expect(triggers.length).toBeGreaterThan(20);
    const offenders = triggers.filter(
      (t) => t.kind !== "trigger" || !new RegExp(`^${t.table}_[a-z][a-z_]*$`).test(t.name),
    );
    expect(offenders).toEqual([]);
  });

  it("declares a core table's generic triggers and policies once, from the planner", () => {
    const sources = objects
      .filter((o) => o.identity.kind === "policy" && o.identity.table === "invitations")
      .map((o) => o.source);
    expect(sources).toEqual(Array(4).fill("components/tenancy/core-tables.ts"));
  });
});
