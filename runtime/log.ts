const encoder = new TextEncoder();

/** One structured log line on stdout, as log collectors (Docker, Loki) expect: JSON per line. */
export function writeLog(record: Readonly<Record<string, unknown>>): void {
  const line = JSON.stringify({ time: new Date().toISOString(), ...record });
  Deno.stdout.writeSync(encoder.encode(line + "\n"));
}

/** An error's name and message for a log line (never sent to a caller). */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
