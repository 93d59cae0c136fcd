import type { Refusal } from "./errors.ts";

function tooLarge(limitBytes: number): Refusal {
  return {
    status: 413,
    code: "body_too_large",
    message: `The request body is larger than this function's limit of ${limitBytes} bytes.`,
  };
}

/**
 * Reads a request body up to `limitBytes`, counting bytes as they stream in: a declared
 * Content-Length over the limit is refused at once, and a body without one (chunked) is cut off
 * as soon as it passes the limit. Returns the bytes (null for no body) or a 413 refusal.
 */
export async function readBodyWithLimit(
  request: Request,
  limitBytes: number,
): Promise<{ readonly body: Uint8Array<ArrayBuffer> | null } | Refusal> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limitBytes) {
    await request.body?.cancel();
    return tooLarge(limitBytes);
  }
  if (request.body === null) return { body: null };
  const reader = request.body.getReader();
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
