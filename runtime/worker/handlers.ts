import type { SqlClient } from "./queue.ts";

/** What a handler gets besides its payload. */
export interface JobContext {
  readonly job: {
    readonly id: string;
    readonly kind: string;
    /** This attempt's number, from 1. */
    readonly attempt: number;
    readonly maxAttempts: number;
  };
  /** Aborted when the attempt times out or the worker stops: pass it to fetch and friends. */
  readonly signal: AbortSignal;
  /** One transaction as service_role (bypasses RLS): commit on return, rollback on throw. */
  withTransaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>;
  /** One JSON log line tagged with the job. */
  log(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** Resolves: the job completes. Throws: the attempt fails with the error's message. */
export type JobHandler = (payload: unknown, context: JobContext) => Promise<void> | void;

export type HandlerRegistry = ReadonlyMap<string, JobHandler>;

/** A kind as ops.jobs allows it (1-100 characters), and a file name on every system. */
const KIND_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * The app's handlers: every `<kind>.ts` in `dir` whose default export is a function. Files
 * starting with `_` are shared code, not handlers (as functions/_shared). Every problem (a bad
 * name, a missing default export, a clash with a built-in kind) is listed at once.
 */
export async function loadAppHandlers(
  dir: string,
  builtIns: HandlerRegistry,
): Promise<Map<string, JobHandler>> {
  const problems: string[] = [];
  const handlers = new Map<string, JobHandler>();
  const files = await listHandlerFiles(dir);
  for (const file of files) {
    const kind = file.slice(0, -".ts".length);
    const where = `'${dir}/${file}'`;
    if (!KIND_PATTERN.test(kind)) {
      problems.push(
        `${where}: the kind "${kind}" must be 1-100 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit.`,
      );
      continue;
    }
    if (builtIns.has(kind)) {
      problems.push(`${where}: "${kind}" is a built-in kind; rename the file.`);
      continue;
    }
    const handler = await importDefault(`${dir}/${file}`).catch((error: Error) => error);
    if (typeof handler === "function") handlers.set(kind, handler as JobHandler);
    else if (handler instanceof Error) problems.push(`${where} failed to load: ${handler.message}`);
    else
      problems.push(
        `${where} has no default export function; export default async function (payload, context) {...}.`,
      );
  }
  if (problems.length > 0) {
    throw new Error(`Invalid job handlers:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return handlers;
}

async function listHandlerFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".ts") && !entry.name.startsWith("_"))
        files.push(entry.name);
    }
  } catch (error) {
    throw new Error(
      `'ORGSTACK_JOBS_DIR' is "${dir}", which cannot be read (${(error as Error).message}). Set it to the folder of <kind>.ts handlers.`,
      { cause: error },
    );
  }
  return files.sort();
}

async function importDefault(path: string): Promise<unknown> {
  const url = path.startsWith("/") ? `file://${path}` : new URL(path, `file://${Deno.cwd()}/`).href;
  return (await import(url)).default;
}

/** The error for a job whose kind nobody handles: it fails every attempt and ends dead. */
export function getMissingHandlerError(kind: string, registry: HandlerRegistry): Error {
  return new Error(
    `No handler for kind '${kind}'. Known kinds: ${[...registry.keys()].sort().join(", ")}. Add jobs/${kind}.ts (ORGSTACK_JOBS_DIR) exporting a default function.`,
  );
}
