import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listFunctionFolders, readFunctionFiles } from "../../components/functions/files";
import {
  computeFilesHash,
  computeSettingsHash,
  isFunctionFile,
  type FunctionFile,
} from "../../components/functions/plan";
import { validateEdgeFunctionSpec } from "../../components/functions/spec";

const file = (p: string, content: string): FunctionFile => ({
  path: p,
  content: Buffer.from(content),
});

describe("isFunctionFile", () => {
  it.each([
    ["invite/index.ts", true],
    ["invite/lib/rank.ts", true],
    ["_shared/db.ts", true],
    ["deno.json", true],
    ["accept/index.ts", false],
    ["_template/index.ts", false],
    ["inviter/index.ts", false],
  ])("for function 'invite', %s is %s", (p, expected) => {
    expect(isFunctionFile("invite", p)).toBe(expected);
  });
});

describe("computeFilesHash", () => {
  const files = [file("a/index.ts", "one"), file("_shared/x.ts", "two")];

  it("is a SHA-256 that does not depend on the order files are listed in", () => {
    const hash = computeFilesHash(files);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(computeFilesHash([...files].reverse())).toBe(hash);
  });

  it("changes on an edit, an added file and a rename", () => {
    const hashes = [
      computeFilesHash(files),
      computeFilesHash([file("a/index.ts", "one!"), files[1]]),
      computeFilesHash([...files, file("a/extra.ts", "")]),
      computeFilesHash([file("a/main.ts", "one"), files[1]]),
    ];
    expect(new Set(hashes).size).toBe(4);
  });

  it("tells a byte moved from one file's end to the next file's start", () => {
    const left = [file("a/1.ts", "xy"), file("a/2.ts", "z")];
    const right = [file("a/1.ts", "x"), file("a/2.ts", "yz")];
    expect(computeFilesHash(left)).not.toBe(computeFilesHash(right));
  });
});

describe("computeSettingsHash", () => {
  const base = validateEdgeFunctionSpec({ name: "a" }).settings;

  it("depends on values, not on key order", () => {
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as typeof base;
    expect(computeSettingsHash(reordered)).toBe(computeSettingsHash(base));
  });

  it("changes with any one setting", () => {
    const changed = [
      { ...base, auth: "anon" as const },
      { ...base, methods: ["POST", "GET"] },
      { ...base, corsOrigins: ["*"] },
      { ...base, bodyLimitBytes: 1 },
      { ...base, rateLimit: { requests: 1, perSeconds: 1 } },
      { ...base, timeoutMs: 1000 },
      { ...base, memoryLimitMb: 64 },
      { ...base, env: ["X"] },
    ];
    const hashes = new Set([base, ...changed].map(computeSettingsHash));
    expect(hashes.size).toBe(changed.length + 1);
  });
});

describe("readFunctionFiles", () => {
  let dir: string;
  const write = (p: string, content = "") => {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), content);
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-functions-"));
    write("invite/index.ts", "Deno.serve(() => new Response());\n");
    write("invite/lib/rank.ts");
    write("invite/.DS_Store");
    write("accept/index.ts");
    write("_shared/db.ts");
    write("_template/index.ts");
    write("deno.json", "{}");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads the function's folder, _shared and top-level files, skipping dot files", () => {
    const files = readFunctionFiles(dir, "invite");
    expect(files.map((f) => f.path)).toEqual([
      "_shared/db.ts",
      "deno.json",
      "invite/index.ts",
      "invite/lib/rank.ts",
    ]);
    expect(files[2].content.toString()).toBe("Deno.serve(() => new Response());\n");
  });

  it("gives another function's edit no effect on this one's hash, and a shared edit one", () => {
    const before = computeFilesHash(readFunctionFiles(dir, "invite"));
    write("accept/index.ts", "changed");
    expect(computeFilesHash(readFunctionFiles(dir, "invite"))).toBe(before);
    write("_shared/db.ts", "changed");
    expect(computeFilesHash(readFunctionFiles(dir, "invite"))).not.toBe(before);
  });

  it("refuses a function without index.ts, naming the path", () => {
    expect(() => readFunctionFiles(dir, "missing")).toThrow(
      `Edge function 'missing' has no entrypoint: '${path.join(dir, "missing", "index.ts")}' does not exist. ` +
        "Create missing/index.ts in the functions folder, or remove the declaration.",
    );
  });

  it("lists the function folders, not shared ones", () => {
    expect(listFunctionFolders(dir)).toEqual(["accept", "invite"]);
  });
});
