/**
 * The entry point of a function's own process. It stands in for Deno.serve before importing the
 * function's index.ts, so a function written for Supabase (`Deno.serve(handler)`) runs
 * unchanged: the handler listens on a loopback port the gateway learns from stdout, and an
 * exception becomes a bare 500 the gateway turns into its JSON error (the stack stays in the
 * function's log). Requests without the gateway's token (its first stdin line) are refused.
 * Usage: deno run ... function-host.ts <path of index.ts>
 */
import {
  FUNCTION_ERROR_HEADER,
  GATEWAY_TOKEN_HEADER,
  PING_HEADER,
  READY_PREFIX,
} from "./function-protocol.ts";

type Handler = (request: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;

const entry = Deno.args[0];
const originalServe = Deno.serve;
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

/** The first line the gateway writes to stdin: the token every request from it carries. */
async function readGatewayToken(): Promise<string> {
  let text = "";
  while (!text.includes("\n")) {
    const { done, value } = await stdin.read();
    if (done) Deno.exit(0); // the gateway is gone before the process started
    text += value;
  }
  return text.slice(0, text.indexOf("\n"));
}

function serveOnLoopback(...args: unknown[]): Deno.HttpServer {
  if (serving) throw new Error("A function calls Deno.serve once; this one called it again.");
  serving = true;
  const handler = getHandler(args);
  return originalServe(
    {
      hostname: "127.0.0.1",
      port: 0,
      onListen: ({ port }) => console.log(`${READY_PREFIX}${port}`),
      onError(error) {
        console.error(error);
        return new Response(null, { status: 500, headers: { [FUNCTION_ERROR_HEADER]: "1" } });
      },
    },
    (request, info) => {
      if (request.headers.get(GATEWAY_TOKEN_HEADER) !== gatewayToken) {
        return new Response(null, { status: 403 });
      }
      if (request.headers.has(PING_HEADER)) return new Response(null);
      return handler(withoutGatewayToken(request), info);
    },
  );
}

/**
 * The request as the function sees it: without the token, which would let its code (or a
 * dependency that logs headers) leak it. Incoming headers are immutable, so a copy is made;
 * the copy keeps the body and the abort signal.
 */
function withoutGatewayToken(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.delete(GATEWAY_TOKEN_HEADER);
  return new Request(request, { headers });
}

/** The process ends with the gateway: its stdin closes when the gateway exits, even when killed. */
async function exitWithGateway(): Promise<void> {
  while (!(await stdin.read()).done) {
    // the gateway writes nothing after the token; this only waits for end of input
  }
  Deno.exit(0);
}

const gatewayToken = await readGatewayToken();
(Deno as { serve: unknown }).serve = serveOnLoopback;
exitWithGateway();
await import(new URL(entry, "file:///").href);
