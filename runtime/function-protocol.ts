/** The line a function process prints once its handler listens: the prefix, then the port. */
export const READY_PREFIX = "orgstack:listening:";

/** Set by the function host on the 500 it answers when the handler throws. */
export const FUNCTION_ERROR_HEADER = "x-orgstack-function-error";

/**
 * Set in every function process's environment: the function is behind this gateway, so the
 * x-orgstack-claims header it receives was written by the gateway after verifying the token.
 * Elsewhere (Supabase's runtime, `supabase functions serve`) the helpers verify tokens themselves.
 */
export const BEHIND_GATEWAY_ENV = "ORGSTACK_BEHIND_GATEWAY";

/** Header names the gateway owns: any the caller sends are removed before forwarding. */
export const GATEWAY_HEADER_PREFIX = "x-orgstack-";

/**
 * Where a live function process listens, and the per-process token the gateway gives it on
 * stdin: every connection opens with it (frames.ts HELLO), and the process closes any other, so
 * nothing else on the machine (another function scanning loopback ports, say) can reach a
 * function directly with forged x-orgstack-claims.
 */
export interface ProcessAddress {
  readonly port: number;
  readonly token: string;
}
