/** Keys of the `orgstack:` namespace: how messages name them and show their values. */

/** The Pulumi config namespace every orgstack key lives in. */
export const CONFIG_NAMESPACE = "orgstack";

/** How a message shows a value that is (part of) a Pulumi secret. */
export const SECRET_SHOWN = "a secret value (not shown)";

/** How a message shows one configured string: quoted, or SECRET_SHOWN for a secret's value. */
export type Show = (value: string) => string;

/** The full key of a path in the namespace, as messages name it: `'orgstack:database.host'`. */
export function quoteKey(path: string): string {
  return `'${CONFIG_NAMESPACE}:${path}'`;
}

/** The value at `path` in decoded configuration, or undefined where there is none. */
export function getValueAt(input: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (node, part) =>
      node !== null && typeof node === "object"
        ? (node as Record<string, unknown>)[part]
        : undefined,
    input,
  );
}
