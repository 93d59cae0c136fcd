import * as pulumi from "@pulumi/pulumi";

/**
 * Runs `build` inside a component's constructor; a failure becomes a pulumi.ResourceError tied
 * to the component, so the CLI names the resource beside the unchanged message.
 */
export function buildWithin<T>(resource: pulumi.Resource, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof pulumi.ResourceError) throw error;
    throw new pulumi.ResourceError((error as Error).message, resource);
  }
}
