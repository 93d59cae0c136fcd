/**
 * The engine deletes a resource only after everything that needs it is gone: resources that
 * list it as a dependency, its children, and resources it provides for. Independent deletes run
 * at the same time (`pulumi destroy` is parallel too). Pure: no I/O.
 */
export interface DeletableResource {
  readonly urn: string;
  readonly parentUrn: string;
  readonly dependencies: readonly string[];
  /** URN of the provider resource, when the resource uses one. */
  readonly providerUrn?: string;
}

/**
 * For each resource, the URNs that must be deleted before it. A dependency on a component
 * stands for every custom resource below that component, as the SDK expands it.
 */
export function getDeleteBlockers(
  resources: readonly DeletableResource[],
  componentParents: ReadonlyMap<string, string>,
): Map<string, Set<string>> {
  const urns = new Set(resources.map((r) => r.urn));
  const blockers = new Map<string, Set<string>>(resources.map((r) => [r.urn, new Set<string>()]));
  const isBelow = (urn: string, ancestor: string): boolean => {
    let parent = resources.find((r) => r.urn === urn)?.parentUrn ?? componentParents.get(urn);
    while (parent) {
      if (parent === ancestor) return true;
      parent = componentParents.get(parent) ?? resources.find((r) => r.urn === parent)?.parentUrn;
    }
    return false;
  };
  const needs = (resource: DeletableResource, target: string) =>
    blockers.get(target)?.add(resource.urn);
  for (const resource of resources) {
    // A component parent is never deleted, so only a custom parent waits for its children.
    if (urns.has(resource.parentUrn)) needs(resource, resource.parentUrn);
    for (const urn of [...resource.dependencies, resource.providerUrn ?? ""]) {
      if (urns.has(urn)) needs(resource, urn);
      else if (componentParents.has(urn) && !isBelow(resource.urn, urn)) {
        for (const other of resources) {
          if (other.urn !== resource.urn && isBelow(other.urn, urn)) needs(resource, other.urn);
        }
      }
    }
  }
  return blockers;
}

/** Runs `remove` for every resource, each as soon as its blockers are done; returns the failures. */
export async function runInDeleteOrder(
  resources: readonly DeletableResource[],
  componentParents: ReadonlyMap<string, string>,
  remove: (urn: string) => Promise<void>,
): Promise<readonly Error[]> {
  const blockers = getDeleteBlockers(resources, componentParents);
  const done = new Map<string, Promise<boolean>>();
  const errors: Error[] = [];
  const start = (urn: string): Promise<boolean> => {
    let started = done.get(urn);
    if (!started) {
      started = (async () => {
        const results = await Promise.all([...blockers.get(urn)!].map(start));
        // A resource whose dependents could not be deleted stays, as the engine leaves it.
        if (results.some((ok) => !ok)) return false;
        try {
          await remove(urn);
          return true;
        } catch (error) {
          errors.push(error as Error);
          return false;
        }
      })();
      done.set(urn, started);
    }
    return started;
  };
  await Promise.all(resources.map((r) => start(r.urn)));
  return errors;
}
