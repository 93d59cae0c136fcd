import type { Claims } from "./auth.ts";
import { GATEWAY_HEADER_PREFIX } from "./function-protocol.ts";

/** Connection-level headers that describe the caller's hop, not the request. */
const HOP_HEADERS = [
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
];

/**
 * The headers a function receives: the caller's, minus any x-orgstack-* they sent, plus the
 * gateway's request id and (when a token was verified) its claims. Authorization and apikey
 * pass through unchanged. x-forwarded-for becomes the caller's address: the gateway is the edge,
 * so anything a client wrote there is its own claim, and the audit trail records this header.
 */
export function getForwardedHeaders(
  incoming: Headers,
  context: {
    readonly requestId: string;
    readonly claims: Claims | null;
    readonly clientAddress: string;
  },
): Headers {
  const headers = new Headers();
  for (const [name, value] of incoming) {
    if (name.startsWith(GATEWAY_HEADER_PREFIX) || HOP_HEADERS.includes(name)) continue;
    headers.set(name, value);
  }
  headers.set("x-forwarded-for", context.clientAddress);
  // The function's own Deno.serve would compress for us only for the gateway to inflate it again.
  headers.set("accept-encoding", "identity");
  headers.set(`${GATEWAY_HEADER_PREFIX}request-id`, context.requestId);
  if (context.claims) headers.set(`${GATEWAY_HEADER_PREFIX}claims`, toAsciiJson(context.claims));
  return headers;
}

/**
 * JSON with every character above U+007E written as a \uXXXX escape (a pair for emoji), so it
 * is a valid header value: Headers refuses anything outside Latin-1 and HTTP anything past
 * U+007E, yet OAuth names in user_metadata are often neither. JSON.parse reads it unchanged.
 */
export function toAsciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
