import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, SECRET_SHOWN, type Show } from "./keys";
import { SECRET_KEYS } from "./schema";

/** Everything the loader needs, read from the Pulumi runtime or given by a test. */
export interface RawStackConfig {
  readonly stack: string;
  /** Values as Pulumi hands them over: strings, with objects JSON-encoded. */
  readonly values: Readonly<Record<string, string>>;
  /** Full keys (`orgstack:databasePassword`) whose values are Pulumi secrets. */
  readonly secretKeys: ReadonlySet<string>;
}

/** `pulumi.runtime.isConfigSecret` exists at run time but its declaration is marked internal. */
function isConfigSecret(key: string): boolean {
  const runtime = pulumi.runtime as unknown as { isConfigSecret(k: string): boolean };
  return runtime.isConfigSecret(key);
}

/** Reads the `orgstack:` namespace of the running Pulumi program. */
export function readRawStackConfig(): RawStackConfig {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!key.startsWith(prefix)) continue;
    values[key.slice(prefix.length)] = value;
    if (isConfigSecret(key)) secretKeys.add(key);
  }
  return { stack: pulumi.getStack(), values, secretKeys };
}

/**
 * Pulumi hands structured values, numbers and booleans over as JSON text. A credential is kept
 * as the text it was set to: the password "123456" is a string, not a number.
 */
export function decodeConfigValues(
  values: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    decoded[key] = SECRET_KEYS.includes(key) ? value : decodeJson(value);
  }
  return decoded;
}

function decodeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Whether the top-level key's value is a Pulumi secret or a credential by its name. */
export function isSecretKey(raw: RawStackConfig, key: string): boolean {
  return raw.secretKeys.has(`${CONFIG_NAMESPACE}:${key}`) || SECRET_KEYS.includes(key);
}

/** How messages show values under the top-level key `key`: never a secret's. */
export function getShow(raw: RawStackConfig, key: string): Show {
  return (value: string) => (isSecretKey(raw, key) ? SECRET_SHOWN : `"${value}"`);
}
