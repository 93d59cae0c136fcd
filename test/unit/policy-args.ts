import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { wrapAsRemediationProps, wrapAsValidationProps } from "../../policy/lib/engine-values";

/**
 * Arguments shaped as @pulumi/policy's server builds them for the policies under test: props
 * behind its unknown-checking proxy (validation) or with Secret instances (remediation), and
 * stack resources with their parents as objects.
 */

/** Validation args of one resource. */
export function args(
  type: string,
  name: string,
  props: object,
  more: Partial<ResourceValidationArgs> = {},
): ResourceValidationArgs {
  const unused = (): never => {
    throw new Error("unused");
  };
  return {
    type,
    name,
    urn: `urn:pulumi:staging::orgstack::${type}::${name}`,
    props: wrapAsValidationProps(props),
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      additionalSecretOutputs: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    },
    stackTags: new Map(),
    isType: unused,
    asType: unused,
    getConfig: unused,
    notApplicable: unused,
    ...more,
  };
}

/** Remediation args of a container whose props hold `props`. */
export function remediation(props: object) {
  return {
    ...args("docker:index/container:Container", "c", {}),
    props: wrapAsRemediationProps(props),
  };
}

/** PolicyResources as validateStack receives them, parents as objects. */
export function stack(
  stackName: string,
  items: Array<{ type: string; name: string; props?: object; parent?: string; protect?: boolean }>,
): PolicyResource[] {
  const made = items.map((i) => ({
    ...args(i.type, i.name, i.props ?? {}),
    urn: `urn:pulumi:${stackName}::orgstack::${i.type}::${i.name}`,
    opts: { ...args(i.type, i.name, {}).opts, protect: i.protect ?? false },
    dependencies: [],
    propertyDependencies: {},
  })) as PolicyResource[];
  items.forEach((i, n) => {
    if (i.parent) made[n].parent = made.find((m) => m.name === i.parent);
  });
  return made;
}
