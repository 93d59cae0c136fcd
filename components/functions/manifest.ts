import type { FunctionSettings, ValidatedFunction } from "./spec";
import { EdgeFunctionError } from "./spec";

/**
 * The runtime manifest: the one file the runtime reads to learn each function's settings
 * (path in ORGSTACK_FUNCTIONS_MANIFEST). Built here from the declarations, read by runtime/.
 */
export interface RuntimeManifest {
  readonly functions: Readonly<Record<string, FunctionSettings>>;
}

/** The manifest of `functions`, keyed by name in name order; a name declared twice is refused. */
export function buildRuntimeManifest(functions: readonly ValidatedFunction[]): RuntimeManifest {
  const names = functions.map((f) => f.name);
  for (const name of new Set(names.filter((n, i) => names.indexOf(n) < i))) {
    throw new EdgeFunctionError(name, [
      `'name': "${name}" is declared ${names.filter((n) => n === name).length} times; declare each function once.`,
    ]);
  }
  const sorted = [...functions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    functions: Object.fromEntries(sorted.map((f) => [f.name, copySettings(f.settings)])),
  };
}

/** The manifest as the file holds it: stable key order, so equal manifests are equal text. */
export function renderRuntimeManifest(manifest: RuntimeManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The contract's keys in the contract's order, and nothing else. */
function copySettings(settings: FunctionSettings): FunctionSettings {
  return {
    auth: settings.auth,
    methods: [...settings.methods],
    corsOrigins: [...settings.corsOrigins],
    bodyLimitBytes: settings.bodyLimitBytes,
    rateLimit: settings.rateLimit
      ? { requests: settings.rateLimit.requests, perSeconds: settings.rateLimit.perSeconds }
      : null,
    timeoutMs: settings.timeoutMs,
    memoryLimitMb: settings.memoryLimitMb,
    env: [...settings.env],
  };
}
