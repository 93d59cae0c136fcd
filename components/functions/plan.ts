import { createHash } from "crypto";
import type { FunctionSettings } from "./spec";

/**
 * Pure planning for edge functions: which files make up a function and the hashes that tell a
 * preview which functions changed. No I/O: files.ts reads the folder.
 */

/** One file a function is made of, its path relative to the functions folder ('/'-separated). */
export interface FunctionFile {
  readonly path: string;
  readonly content: Buffer;
}

/** The folder of code every function may import (`../_shared/x.ts`), as Supabase lays it out. */
export const SHARED_FOLDER = "_shared";

/**
 * Whether the file at `path` belongs to function `name`: its own folder, the shared folder, or a
 * file at the top of the functions folder (deno.json, an import map), which all functions read.
 */
export function isFunctionFile(name: string, path: string): boolean {
  const [top, ...rest] = path.split("/");
  return rest.length === 0 || top === name || top === SHARED_FOLDER;
}

/** SHA-256 over each file's path, size and content in path order: any edit, add or rename shows. */
export function computeFilesHash(files: readonly FunctionFile[]): string {
  const hash = createHash("sha256");
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hash.update(`${file.path}\0${file.content.length}\0`);
    hash.update(file.content);
  }
  return hash.digest("hex");
}

/** SHA-256 of the settings as canonical JSON (keys sorted at every level). */
export function computeSettingsHash(settings: FunctionSettings): string {
  return createHash("sha256").update(toCanonicalJson(settings)).digest("hex");
}

function toCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(toCanonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${toCanonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The functions folder's Deno config: an import map for Supabase when it maps imports. */
const DENO_CONFIG = "deno.json";

/** What deploying one function takes: its hashes and, for Supabase, what is uploaded. */
export interface EdgeFunctionPlan {
  readonly codeHash: string;
  readonly settingsHash: string;
  /** Supabase's gateway checks a JWT first for every mode but "none"; the function checks roles. */
  readonly verifyJwt: boolean;
  readonly entrypointPath: string;
  readonly importMapPath?: string;
  /** The function's own files and _shared; deno.json too when it is the import map. */
  readonly uploads: readonly { readonly path: string; readonly contentBase64: string }[];
}

/** Plans function `name` with `settings` from the files readFunctionFiles found. */
export function planEdgeFunction(
  fn: { readonly name: string; readonly settings: FunctionSettings },
  files: readonly FunctionFile[],
): EdgeFunctionPlan {
  const config = files.find((file) => file.path === DENO_CONFIG);
  const importMapPath = config && hasImports(config.content) ? DENO_CONFIG : undefined;
  const uploaded = files.filter((file) => file.path.includes("/") || file.path === importMapPath);
  return {
    codeHash: computeFilesHash(files),
    settingsHash: computeSettingsHash(fn.settings),
    verifyJwt: fn.settings.auth !== "none",
    entrypointPath: `${fn.name}/index.ts`,
    importMapPath,
    // Array.from builds the list in this module's realm: one derived from fs's arrays stays
    // Node's, which Pulumi's `instanceof Array` rejects where the program runs in a vm (Jest).
    uploads: Array.from(uploaded, (file) => ({
      path: file.path,
      contentBase64: file.content.toString("base64"),
    })),
  };
}

function hasImports(content: Buffer): boolean {
  try {
    const parsed = JSON.parse(content.toString("utf8")) as { imports?: unknown };
    return typeof parsed.imports === "object" && parsed.imports !== null;
  } catch {
    return false;
  }
}
