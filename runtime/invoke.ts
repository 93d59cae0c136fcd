import type { Refusal } from "./errors.ts";
import type { Acquired, FunctionProcess, ProcessExit } from "./function-process.ts";
import { writeAll } from "./frames.ts";
import {
  closeQuietly,
  createResponse,
  encodeRequest,
  type FunctionConnection,
  getConnectionPool,
  readResponseHead,
} from "./function-connection.ts";
import { describeError, writeLog } from "./log.ts";

/** One request as the function receives it. */
export interface FunctionCall {
  readonly name: string;
  readonly method: string;
  /** `/<name>/<sub-path>?<query>`, as Supabase passes it. */
  readonly path: string;
  readonly headers: Headers;
  readonly body: Uint8Array<ArrayBuffer> | null;
  readonly timeoutMs: number;
  /** The caller's request signal: a caller hanging up abandons the call to the function too. */
  readonly callerSignal: AbortSignal;
}

/** How long to wait for a dead process's exit status when its connection broke. */
const EXIT_WAIT_MS = 2_000;

type Invoked =
  | { readonly response: Response; readonly errorCode: null; readonly bootMs: number | null }
  | (Refusal & { readonly bootMs: number | null });

/**
 * Sends a call to the function's process (booting it if needed) and maps every failure to a
 * clear refusal: boot failure 500, timeout 504 (a stuck process is killed), a process that died
 * mid-request 503, naming memory when V8 hit the function's heap limit.
 */
export async function invokeFunction(
  process: FunctionProcess,
  call: FunctionCall,
): Promise<Invoked> {
  let target: Acquired;
  try {
    target = await process.acquire();
  } catch (error) {
    const detail = { function: call.name, error: describeError(error) };
    writeLog({ level: "error", msg: "function boot failed", ...detail });
    const message = `Function '${call.name}' failed to start.`;
    return { status: 500, code: "function_boot_failed", message, bootMs: null };
  }
  process.begin();
  const outcome = await sendToProcess(target, call).finally(() => process.end());
  if ("response" in outcome)
    return { response: outcome.response, errorCode: null, bootMs: target.bootMs };
  if (outcome.ended === "caller") {
    // Nobody reads this answer; the status (nginx's 499) is for the log row.
    const message = "The caller closed the connection before the function answered.";
    return { status: 499, code: "caller_closed_request", message, bootMs: target.bootMs };
  }
  if (outcome.ended === "timeout") {
    process.killIfStuck(target.address);
    const message = `Function '${call.name}' did not answer within ${call.timeoutMs} ms.`;
    return { status: 504, code: "function_timeout", message, bootMs: target.bootMs };
  }
  return {
    ...(await describeBrokenCall(target.exited, call.name, outcome.error)),
    bootMs: target.bootMs,
  };
}

/**
 * One exchange with the function's process over a pooled connection (frames.ts), abandoned
 * when the deadline passes or the caller hangs up: the connection is closed, and the function
 * sees its request's signal abort. The deadline is a timer cleared as soon as the response
 * head arrives.
 */
async function sendToProcess(
  target: Acquired,
  call: FunctionCall,
): Promise<
  | { readonly response: Response }
  | { readonly ended: "timeout" | "caller" | "broken"; readonly error: unknown }
> {
  let ended: "timeout" | "caller" | "broken" = "broken";
  let connection: FunctionConnection | undefined;
  const abandon = (why: "timeout" | "caller") => {
    ended = why;
    if (connection) closeQuietly(connection);
  };
  const timer = setTimeout(() => abandon("timeout"), call.timeoutMs);
  const onCallerAbort = () => abandon("caller");
  call.callerSignal.addEventListener("abort", onCallerAbort, { once: true });
  const pool = getConnectionPool(target.address, target.exited);
  try {
    connection = await pool.acquire();
    if (ended !== "broken") throw new Error(`The call was abandoned (${ended}).`);
    await writeAll(connection.conn, encodeRequest(call));
    const head = await readResponseHead(connection);
    return { response: createResponse(head, connection, pool) };
  } catch (error) {
    if (connection) closeQuietly(connection);
    return { ended, error };
  } finally {
    clearTimeout(timer);
    call.callerSignal.removeEventListener("abort", onCallerAbort);
  }
}

/** Whether the process that dropped the call ended, and why (waiting up to EXIT_WAIT_MS). */
async function describeBrokenCall(
  exited: Promise<ProcessExit>,
  name: string,
  error: unknown,
): Promise<Refusal> {
  const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), EXIT_WAIT_MS));
  const exit = await Promise.race([exited, timer]);
  if (exit?.outOfMemory) {
    return {
      status: 503,
      code: "function_memory_exceeded",
      message: `Function '${name}' ran out of memory and was restarted. Try again, or send less work per request.`,
    };
  }
  writeLog({
    level: "error",
    msg: "function call broke",
    function: name,
    error: describeError(error),
    exit,
  });
  return {
    status: 503,
    code: "function_crashed",
    message: `Function '${name}' stopped while handling this request and will be restarted.`,
  };
}
