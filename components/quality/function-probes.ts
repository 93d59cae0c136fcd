/**
 * "Edge functions handle all error cases", measured from outside: requests a careless or
 * hostile client sends, to each deployed function through the gateway. Each must be refused
 * with a 4xx and the JSON error shape `{ error: { code, message } }`; a 5xx, a hang or another
 * body is a failure. Nothing is written: every probe is refused before any work is done.
 */

export interface FunctionProbeOptions {
  /** The gateway's base URL, e.g. http://localhost:54321. */
  readonly url: string;
  readonly functions: readonly string[];
  readonly timeoutMs?: number;
}

interface Probe {
  readonly name: string;
  readonly path: string;
  readonly init: RequestInit;
}

const FOREIGN_ORIGIN = "https://attacker.example";

/** What each function is sent; an unknown function is probed once. */
export function getProbes(functions: readonly string[]): Probe[] {
  const probes: Probe[] = [
    {
      name: "an unknown function",
      path: "/functions/v1/no-such-function-here",
      init: { method: "POST" },
    },
  ];
  for (const fn of functions) {
    const path = `/functions/v1/${fn}`;
    probes.push(
      {
        name: `${fn}: a malformed bearer token`,
        path,
        init: { method: "POST", headers: { authorization: "Bearer not.a.token" } },
      },
      { name: `${fn}: a method no function takes`, path, init: { method: "PATCH" } },
      {
        name: `${fn}: a body that is not JSON`,
        path,
        init: {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer not.a.token" },
          body: "{not json",
        },
      },
      {
        name: `${fn}: a preflight from a foreign origin`,
        path,
        init: {
          method: "OPTIONS",
          headers: { origin: FOREIGN_ORIGIN, "access-control-request-method": "POST" },
        },
      },
    );
  }
  return probes;
}

/** Why a response fails the probe, or undefined when it is a proper refusal. */
export async function judgeResponse(probe: Probe, response: Response): Promise<string | undefined> {
  if (probe.init.method === "OPTIONS") {
    const allowed = response.headers.get("access-control-allow-origin");
    return allowed === FOREIGN_ORIGIN || allowed === "*"
      ? `${probe.name}: the origin is allowed (${allowed}).`
      : undefined;
  }
  const text = await response.text();
  if (response.status < 400 || response.status >= 500) {
    return `${probe.name}: status ${response.status}, expected a 4xx refusal.`;
  }
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === "string" && typeof body.error?.message === "string")
      return undefined;
  } catch {
    // Falls through: not JSON.
  }
  return `${probe.name}: status ${response.status} without the JSON error shape: ${JSON.stringify(text.slice(0, 80))}.`;
}

export async function probeFunctions(
  options: FunctionProbeOptions,
): Promise<{ probes: number; problems: string[] }> {
  const probes = getProbes(options.functions);
  const problems: string[] = [];
  for (const probe of probes) {
    try {
      const response = await fetch(new URL(probe.path, options.url), {
        ...probe.init,
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      const problem = await judgeResponse(probe, response);
      if (problem) problems.push(problem);
    } catch (error) {
      problems.push(`${probe.name}: no answer (${(error as Error).message}).`);
    }
  }
  return { probes: probes.length, problems };
}
