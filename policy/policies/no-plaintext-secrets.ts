import { Secret, type ResourceRemediation, type ResourceValidationPolicy } from "@pulumi/policy";
import { createUnknownValueError, isUnknown, unwrapProxies } from "../lib/engine-values";
import { getNameWords } from "../lib/resources";

/** Words that make an input a secret: `password`, `accessToken`, `ORGSTACK_JWT_SECRET=...`. */
const SECRET_WORDS = new Set(["password", "passphrase", "secret", "token", "key", "pass", "pwd"]);

/** Run-together names end in one: `PGPASSWORD`, `apikey`, `jwtsecret`, `accesstoken`. */
const SECRET_ENDINGS = ["password", "passwd", "passphrase", "secret", "token", "apikey"];

function isSecretName(name: string): boolean {
  return getNameWords(name).some(
    (w) => SECRET_WORDS.has(w) || SECRET_ENDINGS.some((ending) => w.endsWith(ending)),
  );
}

/** `scheme://user:password@host`: a credential whatever the input is called. */
const URL_WITH_PASSWORD = /^(?:[A-Za-z_][A-Za-z0-9_]*=)?[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i;

export interface SecretFindings {
  /** Paths of secret-named inputs that hold a plain string. */
  readonly plaintext: string[];
  /** Secret-named inputs that are unknown and not marked secret (preview), with the sentinel. */
  readonly unknown: Array<{ readonly path: string; readonly sentinel: string }>;
}

/**
 * Walks raw props (Secret instances kept): a value under a Secret is fine; a secret-named string
 * elsewhere is plaintext. Keys starting with `__` are Pulumi's (a dynamic provider's code).
 */
export function findPlaintextSecrets(value: unknown, path: string[] = []): SecretFindings {
  const found: SecretFindings = { plaintext: [], unknown: [] };
  const visit = (v: unknown, at: string[], named: boolean): void => {
    if (v instanceof Secret || v === null || v === undefined) return;
    if (typeof v === "string") {
      if (!named && URL_WITH_PASSWORD.test(v)) {
        found.plaintext.push(`${at.join(".")} (a URL with a password)`);
        return;
      }
      const env = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(v)?.[1];
      const secretNamed = named || (env !== undefined && isSecretName(env));
      if (!secretNamed || v === "") return;
      const where = env && !named ? `${at.join(".")} (${env})` : at.join(".");
      if (isUnknown(v)) found.unknown.push({ path: where, sentinel: v });
      else found.plaintext.push(where);
      return;
    }
    if (Array.isArray(v)) return v.forEach((item, i) => visit(item, [...at, String(i)], named));
    if (typeof v !== "object") return;
    for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
      if (!key.startsWith("__")) visit(child, [...at, key], isSecretName(key));
    }
  };
  visit(value, path, false);
  return found;
}

/**
 * Validations see secrets already decrypted and unmarked (pulumi/pulumi-policy#241); only a
 * remediation receives `Secret` instances. So the check runs as a remediation that changes
 * nothing: it throws, which fails the preview with the message. An unknown value's secrecy is
 * not sent either (an unknown secret travels as the bare sentinel), so it cannot decide then
 * and raises the SDK's UnknownValueError, reported as "can't run ... during preview".
 */
export const remediatePlaintextSecrets: ResourceRemediation = (args) => {
  const { plaintext, unknown } = findPlaintextSecrets(unwrapProxies(args.props));
  if (plaintext.length > 0) {
    throw new Error(
      `'${args.name}' (${args.type}) receives ${plaintext.map((p) => `'${p}'`).join(", ")} in ` +
        `plaintext. Pass it as a Pulumi secret (pulumi.secret(...), or a config value set with ` +
        `'pulumi config set --secret').`,
    );
  }
  const [first] = unknown;
  if (first) throw createUnknownValueError(first.sentinel, first.path.split("."));
};

export const noPlaintextSecrets: ResourceValidationPolicy = {
  name: "no-plaintext-secrets",
  description: "Inputs named password, passphrase, secret, token or key are Pulumi secrets.",
  // Remediations are the only hook that sees which values are secret (see above).
  enforcementLevel: "remediate",
  remediateResource: remediatePlaintextSecrets,
};
