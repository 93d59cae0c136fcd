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
