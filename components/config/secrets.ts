import { BACKUP_ENCRYPTION_KEY } from "./backup";
import { DATABASE_PASSWORD_KEY } from "./database";
import { JWT_SECRET_KEY, SUPABASE_ACCESS_TOKEN_KEY } from "./functions";
import { CONFIG_NAMESPACE } from "./keys";
import type { RawStackConfig } from "./raw";
import { SECRET_KEYS } from "./schema";

const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i;
const PASSWORD_LIKE_KEY = /(password|passwd|secret|token|apikey|api_key)/i;

/** Credentials anywhere in plaintext config are refused, naming where they were found. */
export function findPlaintextSecrets(
  raw: RawStackConfig,
  input: Readonly<Record<string, unknown>>,
): string[] {
  const problems: string[] = [];
  const passwordKey = `${CONFIG_NAMESPACE}:${DATABASE_PASSWORD_KEY}`;
  const setSecret = (key: string) =>
    `Set it with: pulumi config set --secret ${key} <value> --stack ${raw.stack}`;
  for (const [key, value] of Object.entries(input)) {
    const fullKey = `${CONFIG_NAMESPACE}:${key}`;
    if (raw.secretKeys.has(fullKey)) continue;
    if (SECRET_KEYS.includes(key)) {
      problems.push(`'${fullKey}' holds a credential in plaintext. ${setSecret(fullKey)}`);
      continue;
    }
    for (const [path, leaf] of listLeaves(value, key)) {
      const leafName = path.split(".").pop() ?? path;
      if (typeof leaf === "string" && URL_WITH_PASSWORD.test(leaf)) {
        problems.push(
          `'${CONFIG_NAMESPACE}:${path}' is a URL with a password in plaintext ("${redactUrl(leaf)}"). ` +
            `Give the host alone and put the password in '${passwordKey}'. ${setSecret(passwordKey)}`,
        );
      } else if (path !== key && PASSWORD_LIKE_KEY.test(leafName)) {
        const advised = `${CONFIG_NAMESPACE}:${getAdvisedSecretKey(path)}`;
        problems.push(
          `'${CONFIG_NAMESPACE}:${path}' holds a credential in plaintext. Remove it and set ` +
            `'${advised}' instead. ${setSecret(advised)}`,
        );
      }
    }
  }
  return problems;
}

/** The top-level secret key where a credential found nested at `path` belongs. */
function getAdvisedSecretKey(path: string): string {
  if (path.startsWith("backup.")) return BACKUP_ENCRYPTION_KEY;
  if (!path.startsWith("functions.")) return DATABASE_PASSWORD_KEY;
  return /token/i.test(path) ? SUPABASE_ACCESS_TOKEN_KEY : JWT_SECRET_KEY;
}

function listLeaves(value: unknown, path: string): Array<[string, unknown]> {
  if (value === null || typeof value !== "object") return [[path, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    listLeaves(v, `${path}.${k}`),
  );
}

function redactUrl(url: string): string {
  return url.replace(/:\/\/([^/@\s:]*):[^/@\s]+@/, "://$1:***@");
}
