/**
 * The framed protocol between the gateway and a function process, over a persistent loopback
 * TCP connection: a frame is a 4-byte big-endian payload length, a 1-byte type, the payload.
 * It replaced an HTTP exchange per request (fetch() to the process's Deno.serve), which cost
 * the gateway about 0.3 ms of CPU per request. One connection carries one request at a time:
 *
 *   gateway -> process: HELLO(token) once; then per request REQUEST_HEAD, BODY*, END
 *   process -> gateway: RESPONSE_HEAD, BODY*, END
 *   gateway -> process: PING; process -> gateway: PONG (its event loop still turns)
 *
 * Either side ends a request early by closing the connection: the function's request signal
 * aborts, and the gateway's pending read fails.
 */

/** Frame types. */
export const FRAME = {
  hello: 1,
  requestHead: 2,
  responseHead: 3,
  body: 4,
  end: 5,
  ping: 6,
  pong: 7,
} as const;

/** A frame's header: payload length (4 bytes) and type (1 byte). */
const HEADER_BYTES = 5;

/** A body chunk larger than this is split, so no frame needs a huge buffer at once. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** Bytes read from the socket at once. */
const READ_BYTES = 64 * 1024;

/** One frame as read. */
export interface Frame {
  readonly type: number;
  readonly payload: Uint8Array<ArrayBuffer>;
}

/** The request's line and headers as the process rebuilds them into a Request. */
export interface RequestHead {
  readonly method: string;
  readonly path: string;
  readonly headers: [string, string][];
}

/** The response's status and headers. */
export interface ResponseHead {
  readonly status: number;
  readonly statusText: string;
  readonly headers: [string, string][];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A frame's bytes; `payload` is copied in. */
export function encodeFrame(type: number, payload?: Uint8Array): Uint8Array<ArrayBuffer> {
  const length = payload?.byteLength ?? 0;
  const frame = new Uint8Array(HEADER_BYTES + length);
  new DataView(frame.buffer).setUint32(0, length);
  frame[4] = type;
  if (payload) frame.set(payload, HEADER_BYTES);
  return frame;
}

/** A frame carrying a value as JSON. */
export function encodeJsonFrame(type: number, value: unknown): Uint8Array<ArrayBuffer> {
  return encodeFrame(type, encoder.encode(JSON.stringify(value)));
}

/** A frame's JSON payload. */
export function decodeJson<T>(frame: Frame): T {
  return JSON.parse(decoder.decode(frame.payload)) as T;
}

/** Body frames for a chunk, split at MAX_FRAME_BYTES. */
export function encodeBody(chunk: Uint8Array): Uint8Array<ArrayBuffer>[] {
  const frames: Uint8Array<ArrayBuffer>[] = [];
  for (let offset = 0; offset < chunk.byteLength; offset += MAX_FRAME_BYTES) {
    frames.push(encodeFrame(FRAME.body, chunk.subarray(offset, offset + MAX_FRAME_BYTES)));
  }
  return frames;
}

/** Frames joined into one buffer: one write, one system call. */
export function joinFrames(frames: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const size = frames.reduce((sum, f) => sum + f.byteLength, 0);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const frame of frames) {
    out.set(frame, offset);
    offset += frame.byteLength;
  }
  return out;
}

/** What frames are read from and written to: a Deno.Conn, or a fake in tests. */
export interface ByteStream {
  read(buffer: Uint8Array): Promise<number | null>;
  write(bytes: Uint8Array): Promise<number>;
}

/** Writes all of `bytes` (a socket may take fewer per call). */
export async function writeAll(stream: ByteStream, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.byteLength;) {
    offset += await stream.write(bytes.subarray(offset));
  }
}

/** Reads whole frames from a byte stream, buffering what arrived past the last one. */
export class FrameReader {
  #stream: ByteStream;
  #buffer = new Uint8Array(0);

  constructor(stream: ByteStream) {
    this.#stream = stream;
  }

  /** The next frame already received, without reading the socket; null if none is whole. */
  takeBuffered(): Frame | null {
    if (this.#buffer.byteLength < HEADER_BYTES) return null;
    const view = new DataView(this.#buffer.buffer, this.#buffer.byteOffset, HEADER_BYTES);
    const length = view.getUint32(0);
    if (length > MAX_FRAME_BYTES) throw new Error(`A frame of ${length} bytes is too large.`);
    if (this.#buffer.byteLength < HEADER_BYTES + length) return null;
    const type = this.#buffer[4];
    const payload = this.#buffer.slice(HEADER_BYTES, HEADER_BYTES + length);
    this.#buffer = this.#buffer.subarray(HEADER_BYTES + length);
    return { type, payload };
  }

  /** The next frame; null when the stream ended between frames. */
  async next(): Promise<Frame | null> {
    for (;;) {
      const frame = this.takeBuffered();
      if (frame) return frame;
      const chunk = new Uint8Array(READ_BYTES);
      const read = await this.#stream.read(chunk);
      if (read === null) {
        if (this.#buffer.byteLength > 0) throw new Error("The connection ended inside a frame.");
        return null;
      }
      this.#buffer =
        this.#buffer.byteLength === 0
          ? chunk.subarray(0, read)
          : joinFrames([this.#buffer, chunk.subarray(0, read)]);
    }
  }
}
