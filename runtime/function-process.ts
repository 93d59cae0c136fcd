import { describeError, writeLog } from "./log.ts";
import { getResidentLimitMb, watchMemory } from "./memory-watchdog.ts";
import { READY_PREFIX, type ProcessAddress } from "./function-protocol.ts";
import { encodeFrame, FRAME, FrameReader, writeAll } from "./frames.ts";

/** What a function's process is started from. */
export interface FunctionProcessSpec {
  readonly name: string;
  /** The functions folder: <name>/index.ts and _shared/ live here. */
  readonly functionsDir: string;
  readonly memoryLimitMb: number;
  /** The declared variables and their values: the whole environment the process gets. */
  readonly env: Readonly<Record<string, string>>;
  /** Absolute path of function-host.ts. */
  readonly hostPath: string;
}

/**
 * V8's young generation (MB per semi-space). V8 grows it to 16 MB under load, which looks like
 * a leak of ~50 MB per process; at 1 MB resident memory stays flat (measured over 40,000
 * requests: 58 -> 60 MB per function process) for a few more, cheap, scavenges.
 */
export const SEMI_SPACE_MB = 1;

/** How long a function may take to import and listen before its boot counts as failed. */
const BOOT_TIMEOUT_MS = 15_000;
/** How long a timed-out process has to answer a ping before it is killed as stuck. */
const PING_TIMEOUT_MS = 1_000;
/** What V8 prints when a heap limit is hit (both wordings seen across V8 versions). */
const OUT_OF_MEMORY = /heap out of memory|Fatal JavaScript out of memory|Reached heap limit/i;

/**
 * The `deno run` arguments of a function's process: network; reading only its own folder and
 * _shared (Deno loads the host and static imports without read permission); a V8 heap capped at
 * the function's memory limit. The environment is cleared to the declared names, so --allow-env
 * reveals nothing else (and libraries that probe variables, like pg, still work).
 */
export function getFunctionArgs(spec: FunctionProcessSpec): string[] {
  const dir = `${spec.functionsDir}/${spec.name}`;
  return [
    "run",
    "--no-prompt",
    "--allow-net",
    "--allow-env",
    `--allow-read=${dir},${spec.functionsDir}/_shared`,
    `--v8-flags=--max-old-space-size=${spec.memoryLimitMb},--max-semi-space-size=${SEMI_SPACE_MB}`,
    spec.hostPath,
    `${dir}/index.ts`,
  ];
}

/** Why a process ended, for the error the caller of an interrupted request gets. */
export interface ProcessExit {
  readonly outOfMemory: boolean;
  readonly code: number;
  readonly signal: string | null;
}

/** What a request gets from {@linkcode FunctionProcess.acquire}. */
export interface Acquired {
  readonly address: ProcessAddress;
  /** Set when this call booted the process. */
  readonly bootMs: number | null;
  readonly exited: Promise<ProcessExit>;
}

interface Running {
  readonly child: Deno.ChildProcess;
  readonly address: ProcessAddress;
  readonly exited: Promise<ProcessExit>;
}

/**
 * One function's process: booted on first use, kept warm, booted again after it dies. Requests
 * that arrive during a boot wait for that same boot.
 */
export class FunctionProcess {
  #spec: FunctionProcessSpec;
  #current: Promise<Running> | null = null;
  #inFlight = 0;

  constructor(spec: FunctionProcessSpec) {
    this.#spec = spec;
  }

  /**
   * A live process: its address, the boot time when this call started it, and how it ends (for
   * a request the process dropped, which needs to know whether memory ran out).
   */
  async acquire(): Promise<Acquired> {
    if (this.#current) {
      const running = await this.#current;
      return { address: running.address, bootMs: null, exited: running.exited };
    }
    const started = performance.now();
    const booting = startProcess(this.#spec, () => this.#inFlight > 0);
    this.#current = booting;
    booting.then(
      (running) => running.exited.then(() => this.#forget(booting)),
      () => this.#forget(booting),
    );
    const running = await booting;
    return {
      address: running.address,
      bootMs: performance.now() - started,
      exited: running.exited,
    };
  }

  /** Counts a request in flight (the memory watchdog samples more often meanwhile). */
  begin(): void {
    this.#inFlight++;
  }

  /** Ends what {@linkcode begin} counted. */
  end(): void {
    this.#inFlight--;
  }

  /** Kills the process unless its event loop still answers a ping (a pending await is fine). */
  async killIfStuck(address: ProcessAddress): Promise<boolean> {
    try {
      await ping(address, PING_TIMEOUT_MS);
      return false;
    } catch {
      // Only the process that timed out: it may have died and been replaced meanwhile.
      const running = await this.#current?.catch(() => null);
      if (running?.address !== address) return false;
      writeLog({
        level: "warn",
        msg: "function process stuck; killing it",
        function: this.#spec.name,
      });
      await this.stop();
      return true;
    }
  }

  /** Kills the process, if any; the next request boots a new one. */
  async stop(): Promise<void> {
    const current = this.#current;
    this.#current = null;
    const running = await current?.catch(() => null);
    if (!running) return;
    try {
      running.child.kill("SIGKILL");
    } catch {
      // already exited: nothing to kill
    }
    await running.exited;
  }

  #forget(booting: Promise<Running>): void {
    if (this.#current === booting) this.#current = null;
  }
}

function startProcess(spec: FunctionProcessSpec, isBusy: () => boolean): Promise<Running> {
  const child = new Deno.Command(Deno.execPath(), {
    args: getFunctionArgs(spec),
    cwd: `${spec.functionsDir}/${spec.name}`,
    clearEnv: true,
    env: { ...spec.env },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let outOfMemory = false;
  const stderrDone = forwardLines(child.stderr, (line) => {
    if (OUT_OF_MEMORY.test(line)) outOfMemory = true;
    writeLog({ level: "error", msg: line, function: spec.name, stream: "stderr" });
  });
  const limitMb = getResidentLimitMb(spec.memoryLimitMb);
  const stopWatching = watchMemory({
    pid: child.pid,
    limitMb,
    isBusy,
    onExceeded(residentMb) {
      // Off-heap memory (ArrayBuffers) passes V8's cap unnoticed: contained like a full heap.
      outOfMemory = true;
      const detail = { function: spec.name, residentMb: Math.round(residentMb), limitMb };
      writeLog({
        level: "warn",
        msg: "function process over its memory limit; killing it",
        ...detail,
      });
      killQuietly(child);
    },
  });
  const exited = child.status.then(async (status) => {
    stopWatching();
    await stderrDone;
    const exit = { outOfMemory, code: status.code, signal: status.signal };
    writeLog({ level: "warn", msg: "function process exited", function: spec.name, ...exit });
    return exit;
  });
  const token = crypto.randomUUID();
  const writer = child.stdin.getWriter();
  // The lock is kept: stdin stays open for the process's life, and closes when the gateway exits.
  writer.write(new TextEncoder().encode(`${token}\n`)).catch(() => undefined); // a dead child: see exited
  return waitUntilListening(child, { name: spec.name, token }, exited);
}

/**
 * Resolves with the port the host prints once the handler listens; rejects when the process
 * exits first or takes longer than BOOT_TIMEOUT_MS (and is killed). Other stdout lines are logs.
 */
function waitUntilListening(
  child: Deno.ChildProcess,
  { name, token }: { readonly name: string; readonly token: string },
  exited: Promise<ProcessExit>,
): Promise<Running> {
  return new Promise<Running>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`Function '${name}' did not listen within ${BOOT_TIMEOUT_MS} ms.`));
      child.kill("SIGKILL");
    }, BOOT_TIMEOUT_MS);
    exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`Function '${name}' exited while booting (code ${exit.code}).`));
    });
    forwardLines(child.stdout, (line) => {
      if (line.startsWith(READY_PREFIX)) {
        clearTimeout(timer);
        const port = Number(line.slice(READY_PREFIX.length));
        writeLog({
          level: "info",
          msg: "function process listening",
          function: name,
          port,
          pid: child.pid,
        });
        resolve({ child, address: { port, token }, exited });
      } else {
        writeLog({ level: "info", msg: line, function: name, stream: "stdout" });
      }
    }).catch((error) => writeLog({ level: "error", msg: describeError(error), function: name }));
  });
}

async function forwardLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let buffered = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    const lines = (buffered + text).split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line.length > 0) onLine(line);
  }
  if (buffered.length > 0) onLine(buffered);
}

function killQuietly(child: Deno.ChildProcess): void {
  try {
    child.kill("SIGKILL");
  } catch {
    // already exited: nothing to kill
  }
}

/** Resolves once the process answers a ping on a connection of its own; rejects after `ms`. */
async function ping(address: ProcessAddress, ms: number): Promise<void> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: address.port });
  const timer = setTimeout(() => conn.close(), ms);
  try {
    const hello = encodeFrame(FRAME.hello, new TextEncoder().encode(address.token));
    await writeAll(conn, new Uint8Array([...hello, ...encodeFrame(FRAME.ping)]));
    const frame = await new FrameReader(conn).next();
    if (frame?.type !== FRAME.pong)
      throw new Error("The function process did not answer the ping.");
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch {
      // closed by the timer
    }
  }
}
