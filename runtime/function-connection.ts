import {
  decodeJson,
  encodeBody,
  encodeFrame,
  encodeJsonFrame,
  FRAME,
  FrameReader,
  joinFrames,
  type ResponseHead,
  writeAll,
} from "./frames.ts";
import type { ProcessAddress } from "./function-protocol.ts";

/**
 * Idle connections kept per function process: as many as requests usually run at once (the
 * function's database pool is 4); more are opened under a burst and closed after it.
 */
const MAX_IDLE = 16;

/** An open connection to a function process that has presented the gateway's token. */
export interface FunctionConnection {
  readonly conn: Deno.TcpConn;
  readonly reader: FrameReader;
}

/** A request as it goes to the process. */
export interface OutgoingRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Headers;
  readonly body: Uint8Array | null;
}

/** Connections to one process, reused request after request, closed when it exits. */
export class ConnectionPool {
  #address: ProcessAddress;
  #idle: FunctionConnection[] = [];
  #closed = false;

  constructor(address: ProcessAddress, exited: Promise<unknown>) {
    this.#address = address;
    exited.then(() => this.close());
  }

  /** An idle connection, or a new one opened with the token. */
  async acquire(): Promise<FunctionConnection> {
    const idle = this.#idle.pop();
    if (idle) return idle;
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: this.#address.port });
    conn.setNoDelay(true);
    await writeAll(conn, encodeFrame(FRAME.hello, new TextEncoder().encode(this.#address.token)));
    return { conn, reader: new FrameReader(conn) };
  }

  /** Returns a connection whose exchange ended cleanly. */
  release(connection: FunctionConnection): void {
    if (this.#closed || this.#idle.length >= MAX_IDLE) closeQuietly(connection);
    else this.#idle.push(connection);
  }

  /** Closes the idle connections; those in use close when their exchange ends. */
  close(): void {
    this.#closed = true;
    for (const connection of this.#idle.splice(0)) closeQuietly(connection);
  }
}

const pools = new WeakMap<ProcessAddress, ConnectionPool>();

/** The pool of a live process (by its address), made on first use. */
export function getConnectionPool(
  address: ProcessAddress,
  exited: Promise<unknown>,
): ConnectionPool {
  let pool = pools.get(address);
  if (!pool) {
    pool = new ConnectionPool(address, exited);
    pools.set(address, pool);
  }
  return pool;
}

/** The request's frames in one buffer: head, body, END. */
export function encodeRequest(request: OutgoingRequest): Uint8Array<ArrayBuffer> {
  const head = { method: request.method, path: request.path, headers: [...request.headers] };
  const frames = [encodeJsonFrame(FRAME.requestHead, head)];
  if (request.body) frames.push(...encodeBody(request.body));
  frames.push(encodeFrame(FRAME.end));
  return joinFrames(frames);
}

/** Reads the response head; throws when the process closed the connection instead. */
export async function readResponseHead(connection: FunctionConnection): Promise<ResponseHead> {
  const frame = await connection.reader.next();
  if (frame?.type !== FRAME.responseHead) {
    throw new Error("The function process closed the connection without answering.");
  }
  return decodeJson<ResponseHead>(frame);
}

/**
 * The Response for the caller. A body that has arrived whole (the usual small JSON) becomes
 * bytes at once and the connection goes back to the pool; otherwise the body streams from the
 * connection, which is released at END and closed if the caller stops reading.
 */
export function createResponse(
  head: ResponseHead,
  connection: FunctionConnection,
  pool: ConnectionPool,
): Response {
  const init = { status: head.status, statusText: head.statusText, headers: head.headers };
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  for (let frame = connection.reader.takeBuffered(); frame;) {
    if (frame.type === FRAME.end) {
      pool.release(connection);
      return new Response(chunks.length === 0 ? null : joinFrames(chunks), init);
    }
    chunks.push(frame.payload);
    frame = connection.reader.takeBuffered();
  }
  return new Response(streamBody(chunks, connection, pool), init);
}

function streamBody(
  received: readonly Uint8Array<ArrayBuffer>[],
  connection: FunctionConnection,
  pool: ConnectionPool,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      for (const chunk of received) controller.enqueue(chunk);
    },
    async pull(controller) {
      const frame = await connection.reader.next().catch(() => null);
      if (frame?.type === FRAME.body) return controller.enqueue(frame.payload);
      if (frame?.type === FRAME.end) {
        controller.close();
        return pool.release(connection);
      }
      closeQuietly(connection);
      controller.error(new Error("The function process closed the connection mid-body."));
    },
    cancel() {
      closeQuietly(connection);
    },
  });
}

/** Closes a connection; an exchange it carried ends (the function's request signal aborts). */
export function closeQuietly(connection: FunctionConnection): void {
  try {
    connection.conn.close();
  } catch {
    // already closed
  }
}
