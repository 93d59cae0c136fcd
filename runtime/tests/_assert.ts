/**
 * The few assertions these tests need. Deno's std cannot be fetched here, and node:assert pulls
 * @types/node, which the manual node_modules setup does not resolve for Deno.
 */

function show(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v === undefined ? "<undefined>" : v), 2);
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) =>
    isDeepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

/** Throws unless the values are equal, comparing objects and arrays by content. */
export function assertEquals(actual: unknown, expected: unknown, label = ""): void {
  if (!isDeepEqual(actual, expected)) {
    throw new Error(
      `${label ? `${label}: ` : ""}expected ${show(expected)}\nbut got ${show(actual)}`,
    );
  }
}

/** Throws unless `fn` throws an error with exactly this message. */
export function assertThrowsMessage(fn: () => unknown, message: string): void {
  try {
    fn();
  } catch (error) {
    assertEquals((error as Error).message, message);
    return;
  }
  throw new Error(`expected an error with message ${show(message)}, but nothing was thrown`);
}
