/**
 * The edge runtime's containment, with real Deno: a function that throws, hangs, blocks its
 * event loop or exhausts its memory gets a clear status while other functions keep serving;
 * a function sees only the variables it declares and reads only its own folder and _shared;
 * 200 concurrent requests all succeed.
 */
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import {
  FIXTURE_FUNCTIONS_DIR,
  startEdgeRuntime,
  type EdgeRuntime,
} from "../../tools/testing/edge-runtime";

/** A JSON reply: the gateway's error or a fixture's fields. */
interface Reply {
  readonly error?: { readonly code: string; readonly message: string; readonly requestId: string };
  readonly [field: string]: unknown;
}

async function readJson(response: Response): Promise<Reply> {
  return (await response.json()) as Reply;
}

const SECRET = "edge-runtime-isolation-test-secret-0123456789";
const TIMEOUT_MS = 500;
let runtime: EdgeRuntime;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  runtime = await startEdgeRuntime({
    functionsDir: FIXTURE_FUNCTIONS_DIR,
    functions: {
      echo: { auth: "none" },
      throws: { auth: "none" },
      hangs: { auth: "none", timeoutMs: TIMEOUT_MS },
      spins: { auth: "none", timeoutMs: TIMEOUT_MS },
      "eats-memory": { auth: "none", memoryLimitMb: 48 },
      "eats-buffers": { auth: "none", memoryLimitMb: 64 },
      broken: { auth: "none" },
      "reads-env": { auth: "none", methods: ["GET"], env: ["DECLARED", "DECLARED_BUT_UNSET"] },
    },
    jwtSecret: SECRET,
    env: { DECLARED: "visible", UNDECLARED: "hidden" },
    onLog: (line) => logs.push(JSON.parse(line)),
  });
});

afterAll(() => runtime?.stop());

function post(name: string): Promise<Response> {
  return fetch(`${runtime.url}/functions/v1/${name}`, { method: "POST" });
}

async function expectEchoServes(): Promise<void> {
  const response = await post("echo");
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

describe("containment", () => {
  it("answers a throwing function with a JSON 500 that carries no detail or stack", async () => {
    const response = await post("throws");
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: {
        code: "function_error",
        message: "The function failed while handling this request.",
        requestId: response.headers.get("x-request-id"),
      },
    });
    expect(text).not.toMatch(/secret detail|postgres:|\.ts:\d+/);
    await expectEchoServes();
  });

  it("answers a hanging function with 504 after its timeout and keeps its process", async () => {
    const started = Date.now();
    const response = await post("hangs");
    const elapsed = Date.now() - started;
    expect(response.status).toBe(504);
    expect((await readJson(response)).error).toMatchObject({
      code: "function_timeout",
      message: `Function 'hangs' did not answer within ${TIMEOUT_MS} ms.`,
    });
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 2_000);
    await expectEchoServes();
    // Its event loop still answers the gateway's ping, so other requests in it are not cut off.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      logs.filter((l) => l.function === "hangs" && l.msg === "function process exited"),
    ).toEqual([]);
  });

  it("abandons the call to the function when the caller hangs up, and logs it as 499", async () => {
    const caller = new AbortController();
    const request = fetch(`${runtime.url}/functions/v1/hangs`, {
      method: "POST",
      signal: caller.signal,
    });
    setTimeout(() => caller.abort(), 100);
    await expect(request).rejects.toThrow();
    await waitFor(() => logs.some((l) => l.functionName === "hangs" && l.status === 499));
    expect(logs.filter((l) => l.functionName === "hangs" && l.status === 499)).toEqual([
      expect.objectContaining({ errorCode: "caller_closed_request" }),
    ]);
  });

  it("kills a function whose event loop is stuck after its 504, and boots it again", async () => {
    expect((await post("spins")).status).toBe(504);
    await expectEchoServes();
    await waitFor(() =>
      logs.some((l) => l.msg === "function process exited" && l.function === "spins"),
    );
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: "function process stuck; killing it", function: "spins" }),
    );
    expect((await post("spins")).status).toBe(504);
    const boots = logs.filter(
      (l) => l.msg === "invocation" && l.functionName === "spins" && l.bootMs !== null,
    );
    expect(boots).toHaveLength(2);
  });

  it("contains a function that exhausts its memory with a 503 while another keeps serving", async () => {
    const [eater, ...others] = await Promise.all([
      post("eats-memory"),
      ...Array.from({ length: 20 }, () => post("echo")),
    ]);
    expect(eater.status).toBe(503);
    expect((await readJson(eater)).error).toMatchObject({
      code: "function_memory_exceeded",
      message:
        "Function 'eats-memory' ran out of memory and was restarted. Try again, or send less work per request.",
    });
    expect(others.map((r) => r.status)).toEqual(Array(20).fill(200));
    // Restarted on the next request (and contained again).
    expect((await post("eats-memory")).status).toBe(503);
    await expectEchoServes();
  });
});

describe("resident memory", () => {
  it("kills a function whose off-heap memory passes its limit with a 503 while another keeps serving", async () => {
    const [eater, ...others] = await Promise.all([
      post("eats-buffers"),
      ...Array.from({ length: 20 }, () => post("echo")),
    ]);
    expect([eater.status, (await readJson(eater)).error?.code]).toEqual([
      503,
      "function_memory_exceeded",
    ]);
    expect(others.map((r) => r.status)).toEqual(Array(20).fill(200));
    const killed = logs.find((l) => l.msg === "function process over its memory limit; killing it");
    // The limit plus RUNTIME_MARGIN_MB (64); one 100 ms sample may overshoot by about 80 MB.
    expect(killed).toMatchObject({ function: "eats-buffers", limitMb: 128 });
    expect(killed?.residentMb).toBeLessThan(256);
    // Booted again by the next request (and stopped again).
    expect((await post("eats-buffers")).status).toBe(503);
    await expectEchoServes();
  });
});

describe("boot", () => {
  it("answers a function that fails to start with a JSON 500 and tries again on the next call", async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await post("broken");
      expect(response.status).toBe(500);
      expect((await readJson(response)).error).toMatchObject({
        code: "function_boot_failed",
        message: "Function 'broken' failed to start.",
      });
    }
    await expectEchoServes();
  });

  it("ends the function processes with the gateway, even when it is killed", async () => {
    const other = await startEdgeRuntime({
      functionsDir: FIXTURE_FUNCTIONS_DIR,
      functions: { echo: { auth: "none" } },
      jwtSecret: SECRET,
    });
    try {
      expect((await fetch(`${other.url}/functions/v1/echo`, { method: "POST" })).status).toBe(200);
      const children = getChildPids(other.pid);
      expect(children).toHaveLength(1);
      process.kill(other.pid, "SIGKILL");
      await waitFor(() => children.every((pid) => !fs.existsSync(`/proc/${pid}`)));
    } finally {
      await other.stop();
    }
  });
});

describe("isolation", () => {
  it("refuses a direct call to a function process that bypasses the gateway", async () => {
    await expectEchoServes();
    const listening = logs.find(
      (l) => l.msg === "function process listening" && l.function === "echo",
    );
    const port = Number(listening?.port);
    // Plain HTTP is not the process's protocol, and a guessed token is not the gateway's:
    // either way the connection is closed without a byte of answer.
    const http = fetch(`http://127.0.0.1:${port}/echo`, {
      method: "POST",
      headers: { "x-orgstack-claims": '{"role":"service_role"}' },
    });
    await expect(http).rejects.toThrow();
    const hello = frame(1, Buffer.from("guessed"));
    const head = JSON.stringify({ method: "POST", path: "/echo", headers: [] });
    expect(await sendRaw(port, Buffer.concat([hello, frame(2, Buffer.from(head)), frame(5)]))).toBe(
      "",
    );
  });

  /** A frame of runtime/frames.ts: 4-byte length, 1-byte type, payload. */
  function frame(type: number, payload = Buffer.alloc(0)): Buffer {
    const header = Buffer.alloc(5);
    header.writeUInt32BE(payload.length, 0);
    header[4] = type;
    return Buffer.concat([header, payload]);
  }

  /** Writes bytes to a port and collects what comes back until the other side closes. */
  function sendRaw(port: number, bytes: Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      let received = "";
      const socket = net.connect(port, "127.0.0.1", () => socket.write(bytes));
      socket.setTimeout(5_000, () => reject(new Error("The process kept the connection open.")));
      socket.on("data", (data) => (received += data.toString("latin1")));
      socket.on("error", reject).on("close", () => resolve(received));
    });
  }

  interface EnvReport {
    readonly values: Record<string, string | null>;
    readonly all: string[];
    readonly fileRead: string;
  }
  async function readEnv(query: string): Promise<EnvReport> {
    const response = await fetch(`${runtime.url}/functions/v1/reads-env?${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as EnvReport;
  }

  it("shows a function only the variables it declares", async () => {
    const body = await readEnv("name=DECLARED&name=UNDECLARED&name=ORGSTACK_JWT_SECRET&name=HOME");
    expect(body.values).toEqual({
      DECLARED: "visible",
      UNDECLARED: null,
      ORGSTACK_JWT_SECRET: null,
      HOME: null,
    });
    expect(body.all).toContain("DECLARED");
    expect(body.all).not.toContain("DECLARED_BUT_UNSET");
    // Of the runtime's own variables, only the marker that says the gateway verified the claims.
    expect(body.all.filter((n) => n.startsWith("ORGSTACK_") || n === "UNDECLARED")).toEqual([
      "ORGSTACK_BEHIND_GATEWAY",
    ]);
  });

  it("lets a function read its own folder and _shared, and nothing else", async () => {
    const read = async (file: string) =>
      (await readEnv(`file=${encodeURIComponent(file)}`)).fileRead;
    expect(await read(path.join(FIXTURE_FUNCTIONS_DIR, "reads-env/index.ts"))).toBe("read");
    expect(await read(path.join(FIXTURE_FUNCTIONS_DIR, "_shared/respond.ts"))).toBe("read");
    expect(await read(path.join(FIXTURE_FUNCTIONS_DIR, "echo/index.ts"))).toBe("NotCapable");
    expect(await read(path.join(__dirname, "../../runtime/main.ts"))).toBe("NotCapable");
    expect(await read("/etc/hostname")).toBe("NotCapable");
  });
});

describe("concurrency", () => {
  it("serves 200 concurrent requests, each with its own request id", async () => {
    const responses = await Promise.all(Array.from({ length: 200 }, () => post("echo")));
    const bodies = await Promise.all(responses.map(readJson));
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(200));
    expect(new Set(bodies.map((b) => b.requestId)).size).toBe(200);
    expect(bodies.map((b) => b.requestId)).toEqual(
      responses.map((r) => r.headers.get("x-request-id")),
    );
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !condition(); i++) await new Promise((r) => setTimeout(r, 100));
  if (!condition()) throw new Error("The condition did not hold within 5 s.");
}

function getChildPids(pid: number): number[] {
  return fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" "))
    .filter(Boolean)
    .map(Number);
}
