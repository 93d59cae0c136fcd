import * as path from "path";
import type * as esbuild from "esbuild";
import { LIBRARY_ROOT } from "../schema/schema";

/** The agent's entry point; its imports are bundled with it, npm packages included. */
export const BACKUP_AGENT_ENTRY = path.join(LIBRARY_ROOT, "scripts", "backup-agent.ts");

/** The Node version of the image the agent runs in (components/backup/docker/Dockerfile). */
const AGENT_NODE_TARGET = "node20";

/**
 * The backup agent as one CommonJS file, built when the program runs: the backup image carries
 * Node and this file and nothing else of the library, so what runs in the container is exactly
 * the code the tests ran. pg's optional native binding is left out; pg falls back to JavaScript.
 */
export function bundleBackupAgent(): string {
  // Loaded here, not at import: only stacks that run a backup container pay for esbuild.
  const { buildSync } = require("esbuild") as typeof esbuild;
  const result = buildSync({
    entryPoints: [BACKUP_AGENT_ENTRY],
    bundle: true,
    platform: "node",
    target: AGENT_NODE_TARGET,
    format: "cjs",
    external: ["pg-native"],
    write: false,
    logLevel: "silent",
    legalComments: "none",
  });
  return result.outputFiles[0].text;
}
