/**
 * The entry point of a function's own process. It stands in for Deno.serve before importing the
 * function's index.ts, so a function written for Supabase (`Deno.serve(handler)`) runs
 * unchanged: the handler listens on a loopback port the gateway learns from stdout, and an
 * exception becomes a bare 500 the gateway turns into its JSON error (the stack stays in the
 * function's log). Usage: deno run ... function-host.ts <path of index.ts>
 */
import { FUNCTION_ERROR_HEADER, PING_HEADER, READY_PREFIX } from "./function-protocol.ts";

type Handler = (request: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;

const entry = Deno.args[0];
const originalServe = Deno.serve;
let serving = false;

function getHandler(args: readonly unknown[]): Handler {
  const [first, second] = args;
  if (typeof first === "function") return first as Handler;
  if (typeof second === "function") return second as Handler;
  const handler = (first as { handler?: unknown } | undefined)?.handler;
  if (typeof handler === "function") return handler as Handler;
  throw new TypeError("Deno.serve was called without a handler.");
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
    (request, info) =>
      request.headers.has(PING_HEADER) ? new Response(null) : handler(request, info),
  );
}

/** The process ends with the gateway: its stdin closes when the gateway exits, even when killed. */
async function exitWithGateway(): Promise<void> {
  for await (const _ of Deno.stdin.readable) {
    // the gateway never writes; this only waits for end of input
  }
  Deno.exit(0);
}

(Deno as { serve: unknown }).serve = serveOnLoopback;
exitWithGateway();
await import(new URL(entry, "file:///").href);
