import type { Refusal } from "./errors.ts";

function tooLarge(limitBytes: number): Refusal {
  return {
    status: 413,
    code: "body_too_large",
    message: `The request body is larger than this function's limit of ${limitBytes} bytes.`,
  };
}

function tooSlow(timeoutMs: number): Refusal {
  return {
    status: 408,
    code: "request_timeout",
    message: `The request body did not arrive within ${timeoutMs} ms. Send the whole body at once.`,
  };
}

/** How a body is read: at most `limitBytes`, all of it within `timeoutMs`. */
export interface BodyLimits {
  readonly limitBytes: number;
  readonly timeoutMs: number;
}

type BodyResult = { readonly body: Uint8Array<ArrayBuffer> | null } | Refusal;

/**
 * Reads a request body up to `limitBytes`, counting bytes as they stream in: a declared
 * Content-Length over the limit is refused at once, and a body without one (chunked) is cut off
 * as soon as it passes the limit. The whole body must arrive within `timeoutMs`, or a client
 * trickling bytes (slowloris) would hold the request, its buffer and its socket for ever.
 * Returns the bytes (null for no body), a 413 or a 408 refusal.
 */
export async function readBodyWithLimit(request: Request, limits: BodyLimits): Promise<BodyResult> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limits.limitBytes) {
    request.body?.cancel().catch(() => undefined);
    return tooLarge(limits.limitBytes);
  }
  if (request.body === null) return { body: null };
  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), limits.timeoutMs);
  });
  try {
    const result = await Promise.race([readAll(reader, limits.limitBytes), deadline]);
    if (result === "timeout") {
      reader.cancel().catch(() => undefined); // the read still pending ends with the cancel
      return tooSlow(limits.timeoutMs);
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

async function readAll(
  reader: ReadableStreamDefaultReader<Uint8Array<ArrayBuffer>>,
  limitBytes: number,
): Promise<BodyResult> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await reader.cancel();
      return tooLarge(limitBytes);
    }
    chunks.push(value);
  }
  return { body: concat(chunks, size) };
}

function concat(chunks: readonly Uint8Array<ArrayBuffer>[], size: number): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
