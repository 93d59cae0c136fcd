import type { PolicyResource } from "@pulumi/policy";

/** Type tokens the policies read, as the program registers them. */
export const TYPES = {
  backend: "orgstack:index:Backend",
  backups: "orgstack:backup:Backups",
  tenantTable: "orgstack:tenancy:TenantTable",
  sqlObject: "pulumi-nodejs:dynamic/schema:SqlObject",
  migrations: "pulumi-nodejs:dynamic/schema:Migrations",
  platformRoles: "pulumi-nodejs:dynamic/database:PlatformRoles",
  provider: "pulumi:providers:postgresql",
  database: "postgresql:index/database:Database",
  role: "postgresql:index/role:Role",
  grantRole: "postgresql:index/grantRole:GrantRole",
  volume: "docker:index/volume:Volume",
} as const;

export const ENVIRONMENTS = ["local", "ephemeral", "staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * Stack names the repository ships, and the pull-request stacks (`pr-<n>`), by environment.
 * The engine gives policies no stack configuration, so `orgstack:environment` is read from the
 * Backend's `environment` output when the program registers one, else from these names.
 */
const STACK_ENVIRONMENTS: ReadonlyArray<readonly [RegExp, Environment]> = [
  [/^(production|prod)(-.*)?$/, "production"],
  [/^(staging|stage)(-.*)?$/, "staging"],
  [/^(local|dev)(-.*)?$/, "local"],
  [/^(ci|pr-\d+)$/, "ephemeral"],
];

/** The stack a URN belongs to: `urn:pulumi:<stack>::<project>::...`. */
export function getStackName(urn: string): string {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1] ?? "";
}

/** The environment a stack deploys, or a sentence saying why it cannot be told. */
export function getEnvironment(
  resources: readonly PolicyResource[],
): { environment: Environment } | { problem: string } {
  const backend = resources.find((r) => r.type === TYPES.backend);
  const declared = backend?.props["environment"];
  if ((ENVIRONMENTS as readonly unknown[]).includes(declared)) {
    return { environment: declared as Environment };
  }
  const stack = getStackName(resources[0]?.urn ?? "");
  const match = STACK_ENVIRONMENTS.find(([pattern]) => pattern.test(stack));
  if (match) return { environment: match[1] };
  return {
    problem:
      `Cannot tell the environment of stack '${stack}': its Backend registers no 'environment' ` +
      `output and the name is none of production, staging, local, ci or pr-<n>. Register the ` +
      `Backend's 'environment' output or name the stack after its environment.`,
  };
}

/** The resources whose parent is `parent`. */
export function getChildren(
  resources: readonly PolicyResource[],
  parent: PolicyResource,
): PolicyResource[] {
  return resources.filter((r) => r.parent?.urn === parent.urn);
}

/** Words of a property name: `accessToken` -> access, token; `ORGSTACK_JWT_SECRET` -> ... */
export function getNameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}

/** Hosts whose traffic never leaves the machine: loopback, or a Unix socket directory. */
export function isLocalHost(host: string): boolean {
  return (
    host === "localhost" ||
    host === "::1" ||
    host.startsWith("/") ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}
