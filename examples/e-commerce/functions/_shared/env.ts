/**
 * Reads an environment variable a function declared in its manifest `env`, or throws naming
 * it. The runtime lets a function see only the variables it declares, so a missing one (unset,
 * or not readable under the worker's permissions) is a deployment mistake and is reported as
 * one, never read as `Deno.env.get(...) as string`.
 */
export function requireEnv(name: string): string {
  let value: string | undefined;
  try {
    value = Deno.env.get(name);
  } catch {
    value = undefined; // not declared: the worker may not read it
  }
  if (value === undefined || value === "") {
    throw new Error(
      `Environment variable ${name} is not set for this function: add "${name}" to its env in the program.`,
    );
  }
  return value;
}
