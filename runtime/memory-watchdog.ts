import { describeError, writeLog } from "./log.ts";

/**
 * What a function process may hold beyond its memoryLimitMb (the V8 heap cap): the Deno runtime
 * itself. Measured here: an idle function process is at 41 MB resident (31 MB of it the mapped
 * binary), about 60 MB after 40,000 requests (see SEMI_SPACE_MB in function-process.ts); 64 MB
 * leaves room for that, so only memory the function holds itself reaches the limit.
 */
export const RUNTIME_MARGIN_MB = 64;

/** Sampling while requests are in flight: an allocating function grows fastest then. */
const BUSY_INTERVAL_MS = 100;
/** Sampling while idle: timers and background work can still allocate, more slowly. */
const IDLE_INTERVAL_MS = 1_000;

/** The resident memory a function process may reach before it is killed. */
export function getResidentLimitMb(memoryLimitMb: number): number {
  return memoryLimitMb + RUNTIME_MARGIN_MB;
}

/**
 * A process's resident memory in MB from /proc, or null when the process is gone. Deno lets
 * only a fully privileged process (--allow-all) read another's /proc entries: without it this
 * throws Deno.errors.NotCapable.
 */
export function readResidentMb(pid: number): number | null {
  let status: string;
  try {
    status = Deno.readTextFileSync(`/proc/${pid}/status`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kb === undefined ? null : Number(kb) / 1024;
}

let warnedUnavailable = false;

/** Reads memory, or null (after one warning per gateway) when this gateway may not. */
function readOrWarn(read: (pid: number) => number | null, pid: number): number | null {
  try {
    return read(pid);
  } catch (error) {
    if (!warnedUnavailable) {
      warnedUnavailable = true;
      writeLog({
        level: "warn",
        msg: "memory watchdog off: function processes' resident memory cannot be read; run the gateway with --allow-all on Linux",
        error: describeError(error),
      });
    }
    return null;
  }
}

/** What {@linkcode watchMemory} watches, and what it does when the limit is passed. */
export interface MemoryWatch {
  readonly pid: number;
  readonly limitMb: number;
  /** Whether the process has requests in flight: sampled every 100 ms then, else every second. */
  isBusy(): boolean;
  onExceeded(residentMb: number): void;
  /** Reads resident memory; /proc by default. */
  readonly readResidentMb?: (pid: number) => number | null;
}

/**
 * Samples a process's resident memory until it passes `limitMb` (then calls onExceeded once and
 * stops), it cannot be read any more, or the returned function is called. --max-old-space-size
 * caps only V8's heap; ArrayBuffers and native allocations live outside it.
 */
export function watchMemory(watch: MemoryWatch): () => void {
  const read = watch.readResidentMb ?? readResidentMb;
  let idleFor = 0;
  // A 100 ms tick that reads /proc only when busy or once a second, so a request starting
  // just after an idle sample is still watched within 100 ms.
  const timer = setInterval(() => {
    idleFor = watch.isBusy() ? 0 : idleFor + BUSY_INTERVAL_MS;
    if (idleFor > 0 && idleFor < IDLE_INTERVAL_MS) return;
    idleFor = 0;
    const residentMb = readOrWarn(read, watch.pid);
    if (residentMb !== null && residentMb <= watch.limitMb) return;
    clearInterval(timer);
    if (residentMb !== null) watch.onExceeded(residentMb);
  }, BUSY_INTERVAL_MS);
  return () => clearInterval(timer);
}
