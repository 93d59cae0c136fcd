import { SqlObjectError } from "./object-files";
import { formatIdentity, type SqlObjectSpec } from "./sql-object";

/**
 * Orders objects so each comes after what it requires (ties keep the given order), which is
 * also the order their resources are declared in. Throws naming a cycle.
 */
export function orderObjects(specs: readonly SqlObjectSpec[]): SqlObjectSpec[] {
  const byKey = new Map(specs.map((s) => [formatIdentity(s.identity), s]));
  const ordered: SqlObjectSpec[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (spec: SqlObjectSpec, trail: string[]): void => {
    const key = formatIdentity(spec.identity);
    if (state.get(key) === "done") return;
    if (state.get(key) === "visiting") {
      throw new SqlObjectError([
        `Objects require each other in a cycle: ${[...trail, key].join(" -> ")}.`,
      ]);
    }
    state.set(key, "visiting");
    for (const required of spec.requires) {
      const dependency = byKey.get(formatIdentity(required));
      if (dependency) visit(dependency, [...trail, key]);
    }
    state.set(key, "done");
    ordered.push(spec);
  };
  for (const spec of specs) visit(spec, []);
  return ordered;
}
