/**
 * How @pulumi/policy hands values to policies. Its proxy module's exports are internal (the
 * published .d.ts declares none), so they are typed here; the values are the engine's wire
 * constants (sdk/nodejs/runtime/rpc.ts, pulumi-policy sdk/nodejs/policy/proxy.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T>(value: T): T;
  UnknownValueError: new (sentinel: string, path: string[]) => Error;
  isSpecialProxy: string;
  getSpecialProxyTarget: string;
  unknownStringValue: string;
  unknownNumberValue: string;
  unknownBooleanValue: string;
  unknownArrayValue: string;
  unknownObjectValue: string;
  unknownAssetValue: string;
  unknownArchiveValue: string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const secret = require("@pulumi/policy/secret") as { secretsPreservingProxy<T>(value: T): T };

/** Every sentinel the engine sends for a value not known during preview. */
export const UNKNOWN_SENTINELS: readonly string[] = [
  proxy.unknownStringValue,
  proxy.unknownNumberValue,
  proxy.unknownBooleanValue,
  proxy.unknownArrayValue,
  proxy.unknownObjectValue,
  proxy.unknownAssetValue,
  proxy.unknownArchiveValue,
];

/** The engine's string for an unknown string (also what dynamic providers receive). */
export const UNKNOWN_STRING = proxy.unknownStringValue;

export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.includes(value);
}

/** The SDK's own error for an unknown: it reports "can't run policy ... during preview". */
export function createUnknownValueError(sentinel: string, path: string[]): Error {
  return new proxy.UnknownValueError(sentinel, path);
}

export function isUnknownValueError(error: unknown): error is Error {
  return error instanceof proxy.UnknownValueError;
}

/** Props as validateResource and validateStack see them: reading an unknown throws. */
export function wrapAsValidationProps<T extends object>(props: T): T {
  return proxy.unknownCheckingProxy(props);
}

/** Props as remediateResource sees them: policy.Secret instances kept under both proxies. */
export function wrapAsRemediationProps<T extends object>(props: T): T {
  return proxy.unknownCheckingProxy(secret.secretsPreservingProxy(props));
}

/** The plain object under the SDK's proxies, where secrets are still `Secret` instances. */
export function unwrapProxies(value: unknown): unknown {
  let current = value as Record<string, unknown> | null;
  while (current instanceof Object && current[proxy.isSpecialProxy] === true) {
    current = current[proxy.getSpecialProxyTarget] as Record<string, unknown>;
  }
  return current;
}
