import { ConfigError, validateStackConfig, type RawStackConfig } from "../../components/config";

/** Shared by the config-*.test.ts files: raw stack configuration and the message it is refused with. */

export const PASSWORD_KEY = "orgstack:databasePassword";

/** A stack's configuration as Pulumi hands it over: objects JSON-encoded; the password a secret. */
export function raw(
  stack: string,
  values: Record<string, unknown>,
  secretKeys: string[] = [PASSWORD_KEY],
): RawStackConfig {
  const encoded: Record<string, string> = {};
  for (const [k, v] of Object.entries(values))
    encoded[k] = typeof v === "string" ? v : JSON.stringify(v);
  return { stack, values: encoded, secretKeys: new Set(secretKeys) };
}

/** The full message of the ConfigError `input` is refused with. */
export function messageOf(input: RawStackConfig): string {
  try {
    validateStackConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("Expected the configuration to be refused.");
}

/** A server-mode database object that is valid on its own. */
export const server = { mode: "server", host: "db.internal", sslmode: "disable" };
