import type { NewResource, NewResourceArgs, ResourceOutcome } from "../../tools/engine/program";

/** Output properties each provider computes, as the real provider would report them. */
const COMPUTED_OUTPUTS: Record<string, (args: NewResourceArgs) => Record<string, unknown>> = {
  "random:index/randomPassword:RandomPassword": (args) => ({ result: `generated-${args.name}` }),
  "docker:index/remoteImage:RemoteImage": (args) => ({ imageId: `sha256:${args.name}` }),
  "docker:index/volume:Volume": () => ({}),
  "docker:index/network:Network": () => ({}),
  "docker:index/container:Container": () => ({}),
  "pulumi:providers:postgresql": () => ({}),
  "postgresql:index/database:Database": () => ({}),
  "postgresql:index/schema:Schema": () => ({}),
  "postgresql:index/extension:Extension": () => ({}),
  "postgresql:index/role:Role": () => ({}),
  "pulumi-nodejs:dynamic/database:PlatformRoles": () => ({}),
  "pulumi-nodejs:dynamic/functions:FunctionRevision": () => ({}),
  "pulumi-nodejs:dynamic/functions:SupabaseFunction": (args) => ({
    functionId: `${args.name}-fn`,
    version: 1,
  }),
  "pulumi-nodejs:dynamic/schema:Migrations": () => ({ applied: [] }),
  "pulumi-nodejs:dynamic/ephemeral:SeedData": () => ({}),
  "pulumi-nodejs:dynamic/schema:SqlObject": () => ({
    fingerprint: "recorded",
    appliedFingerprint: "recorded",
  }),
};

/** Mocks that record only; unknown resource types fail loudly rather than pass silently. */
export const recordingMocks: NewResource = (args): ResourceOutcome => {
  const compute = COMPUTED_OUTPUTS[args.type];
  if (!args.custom) return { id: "", state: {} };
  if (!compute) throw new Error(`Mock not implemented: resource type '${args.type}'.`);
  return { id: `${args.name}-id`, state: { ...args.inputs, ...compute(args) } };
};
