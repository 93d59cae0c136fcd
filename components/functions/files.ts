import * as fs from "fs";
import * as path from "path";
import { isFunctionFile, type FunctionFile } from "./plan";

/** Where a function starts, as Supabase expects it: `<name>/index.ts`. */
export const ENTRYPOINT_FILE = "index.ts";

/**
 * Every file of the functions folder, paths relative to it and '/'-separated. Entries whose
 * name starts with '.' (.DS_Store, editor swap files) and node_modules are no one's code.
 */
export function listFolderFiles(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith(".") && entry.name !== "node_modules")
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFolderFiles(dir, relative) : [relative];
    })
    .sort();
}

/**
 * The files function `name` is made of (its folder, _shared and the folder's top-level files),
 * read from `functionsDir`. Throws naming the missing entrypoint when `<name>/index.ts` is absent.
 */
export function readFunctionFiles(functionsDir: string, name: string): FunctionFile[] {
  const entrypoint = path.join(functionsDir, name, ENTRYPOINT_FILE);
  if (!fs.existsSync(entrypoint)) {
    throw new Error(
      `Edge function '${name}' has no entrypoint: '${entrypoint}' does not exist. ` +
        `Create ${name}/${ENTRYPOINT_FILE} in the functions folder, or remove the declaration.`,
    );
  }
  return listFolderFiles(functionsDir)
    .filter((file) => isFunctionFile(name, file))
    .map((file) => ({ path: file, content: fs.readFileSync(path.join(functionsDir, file)) }));
}

/** The function folders of `functionsDir`: those not starting with '_' (shared code) or '.'. */
export function listFunctionFolders(functionsDir: string): string[] {
  return fs
    .readdirSync(functionsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("_") && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
}
