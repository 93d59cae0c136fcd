/**
 * The entry point of a function's own process. It stands in for Deno.serve before importing the
 * function's index.ts, so a function written for Supabase (`Deno.serve(handler)`) runs
 * unchanged: the handler is called with a Request rebuilt from the gateway's frames
 * (frames.ts) on a loopback port the gateway learns from stdout, and an exception becomes a
 * bare 500 the gateway turns into its JSON error (the stack stays in the function's log). A
 * connection that does not open with the gateway's token (its first stdin line) is closed.
 * Usage: deno run ... function-host.ts <path of index.ts>
 */
import {
  type ByteStream,
  decodeJson,
  encodeBody,
  encodeFrame,
  encodeJsonFrame,
  FRAME,
  FrameReader,
  joinFrames,
  type RequestHead,
  writeAll,
} from "./frames.ts";
import { FUNCTION_ERROR_HEADER, READY_PREFIX } from "./function-protocol.ts";

type Handler = (request: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;

let listeningPort = 0;
let currentHandler: Handler | undefined;

/** Response bytes gathered before a write; a streamed body is written as it comes. */
const WRITE_BYTES = 64 * 1024;

const entry = Deno.args[0];
const stdin = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
let serving = false;

function getHandler(args: readonly unknown[]): Handler {
  const [first, second] = args;
  if (typeof first === "function") return first as Handler;
  if (typeof second === "function") return second as Handler;
  const handler = (first as { handler?: unknown } | undefined)?.handler;
  if (typeof handler === "function") return handler as Handler;
  throw new TypeError("Deno.serve was called without a handler.");
}

/** The first line the gateway writes to stdin: the token every connection opens with. */
async function readGatewayToken(): Promise<string> {
  let text = "";
  while (!text.includes("\n")) {
    const { done, value } = await stdin.read();
    if (done) Deno.exit(0); // the gateway is gone before the process started
    text += value;
  }
  return text.slice(0, text.indexOf("\n"));
}

/** Deno.serve as the function sees it: serves the gateway's frames; returns a stand-in server. */
function serveFrames(...args: unknown[]): Deno.HttpServer {
  if (serving) throw new Error("A function calls Deno.serve once; this one called it again.");
  serving = true;
  currentHandler = getHandler(args);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listeningPort = (listener.addr as Deno.NetAddr).port;
  const finished = acceptConnections(listener);
  console.log(`${READY_PREFIX}${listeningPort}`);
  return {
    finished,
    addr: listener.addr,
    ref() {},
    unref() {},
    shutdown: () => Promise.resolve(listener.close()),
    [Symbol.asyncDispose]: () => Promise.resolve(listener.close()),
  } as unknown as Deno.HttpServer;
}

async function acceptConnections(listener: Deno.Listener): Promise<void> {
  for await (const conn of listener) {
    (conn as Deno.TcpConn).setNoDelay(true); // small frames, each awaited by the other side
    serveConnection(conn)
      .catch(() => undefined) // a broken connection ends only itself
      .finally(() => closeQuietly(conn));
  }
}

/** One gateway connection: its token, then requests one after another until it closes. */
async function serveConnection(conn: Deno.Conn): Promise<void> {
  const reader = new FrameReader(conn);
  const hello = await reader.next();
  if (hello?.type !== FRAME.hello || new TextDecoder().decode(hello.payload) !== gatewayToken) {
    return;
  }
  let next = reader.next();
  for (;;) {
    const frame = await next;
    if (frame?.type === FRAME.ping) {
      await writeAll(conn, encodeFrame(FRAME.pong));
      next = reader.next();
    } else if (frame?.type !== FRAME.requestHead)
      return; // ended, or not the protocol
    else {
      const body = await readBody(reader);
      if (body === null) return;
      next = reader.next(); // the gateway sends nothing more until this response has ended
      if (!(await serveRequest(conn, { head: decodeJson<RequestHead>(frame), body, next }))) return;
    }
  }
}

/**
 * One request: rebuilt, handled, answered. The gateway closes the connection when it gives up
 * (timeout, caller gone), which aborts the request's signal. Returns whether the connection
 * may carry another request.
 */
async function serveRequest(
  conn: Deno.Conn,
  call: { head: RequestHead; body: Uint8Array<ArrayBuffer>; next: Promise<unknown> },
): Promise<boolean> {
  const abort = new AbortController();
  let answered = false;
  const onClose = () => answered || abort.abort();
  call.next.then((frame) => frame === null && onClose(), onClose);
  const { method, path, headers } = call.head;
  const request = new Request(`http://127.0.0.1:${listeningPort}${path}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? null : call.body,
    signal: abort.signal,
  });
  const info = { remoteAddr: conn.remoteAddr, completed: Promise.resolve() };
  const response = await callHandler(currentHandler!, request, info);
  await writeResponse(conn, response, abort.signal);
  answered = true;
  return !abort.signal.aborted;
}

/** The body frames up to END, joined; null when the connection ended first. */
async function readBody(reader: FrameReader): Promise<Uint8Array<ArrayBuffer> | null> {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const frame = await reader.next();
    if (frame === null) return null;
    if (frame.type === FRAME.end) return joinFrames(chunks);
    chunks.push(frame.payload);
  }
}

async function callHandler(
  handler: Handler,
  request: Request,
  info: Deno.ServeHandlerInfo,
): Promise<Response> {
  try {
    return await handler(request, info);
  } catch (error) {
    console.error(error);
    return new Response(null, { status: 500, headers: { [FUNCTION_ERROR_HEADER]: "1" } });
  }
}

/**
 * The response head, its body as it streams and END. Chunks a body yields at once (a string,
 * JSON) share one write with the head; a chunk the body has not produced yet is not waited
 * for, so a streamed body (server-sent events) reaches the caller as it is written.
 */
async function writeResponse(conn: ByteStream, response: Response, signal: AbortSignal) {
  const headers = [...response.headers];
  const head = { status: response.status, statusText: response.statusText, headers };
  let out: Uint8Array[] = [encodeJsonFrame(FRAME.responseHead, head)];
  let size = out[0].byteLength;
  const reader = response.body?.getReader();
  try {
    let next = reader?.read();
    for (;;) {
      let read = next ? await Promise.race([next, NOT_YET]) : DONE;
      if (read === null || size >= WRITE_BYTES) {
        await writeAll(conn, joinFrames(out));
        [out, size] = [[], 0];
        read ??= await next!;
      }
      if (read.done) break;
      for (const frame of encodeBody(read.value)) {
        out.push(frame);
        size += frame.byteLength;
      }
      next = reader!.read();
    }
    out.push(encodeFrame(FRAME.end));
    await writeAll(conn, joinFrames(out));
  } catch (error) {
    reader?.cancel(error).catch(() => undefined);
    if (!signal.aborted) throw error;
  }
}

const NOT_YET = Promise.resolve(null);
const DONE = { done: true, value: undefined } as const;

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}

/** The process ends with the gateway: its stdin closes when the gateway exits, even when killed. */
async function exitWithGateway(): Promise<void> {
  while (!(await stdin.read()).done) {
    // the gateway writes nothing after the token; this only waits for end of input
  }
  Deno.exit(0);
}

const gatewayToken = await readGatewayToken();
(Deno as { serve: unknown }).serve = serveFrames;
exitWithGateway();
await import(new URL(entry, "file:///").href);
