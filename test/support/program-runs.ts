import {
  readStackFile,
  runProgram,
  type ProgramRun,
  type RegisteredResource,
} from "../../tools/engine/program";
import { recordingMocks } from "./recording-mocks";

/**
 * What `pulumi config set --secret` would hold for a stack file: the admin password wherever
 * the mode needs one, keyed by mode, so a new stack file needs no entry here.
 */
export function getStackSecrets(stack: string, programDir?: string): Record<string, string> {
  const file = readStackFile(stack, programDir);
  const database = file["orgstack:database"] as { mode?: string; flavor?: string } | undefined;
  const secrets: Record<string, string> =
    database?.mode === "container"
      ? {}
      : { "orgstack:databasePassword": `${stack}-admin-password` };
  const backup = file["orgstack:backup"] as { encrypt?: boolean } | undefined;
  if (backup?.encrypt) {
    secrets["orgstack:backupEncryptionKey"] = `${stack}-backup-key-of-at-least-32-characters`;
  }
  if (file["orgstack:functions"] !== undefined) {
    if (database?.flavor === "supabase") {
      secrets["orgstack:supabaseAccessToken"] = `${stack}-supabase-access-token`;
    } else {
      secrets["orgstack:jwtSecret"] = `${stack}-jwt-secret-of-at-least-32-characters`;
    }
  }
  return secrets;
}

/** Resource type tokens the program registers. */
export const T = {
  provider: "pulumi:providers:postgresql",
  database: "postgresql:index/database:Database",
  schema: "postgresql:index/schema:Schema",
  extension: "postgresql:index/extension:Extension",
  role: "postgresql:index/role:Role",
  platformRoles: "pulumi-nodejs:dynamic/database:PlatformRoles",
  password: "random:index/randomPassword:RandomPassword",
  container: "docker:index/container:Container",
  image: "docker:index/remoteImage:RemoteImage",
  volume: "docker:index/volume:Volume",
  network: "docker:index/network:Network",
  migrations: "pulumi-nodejs:dynamic/schema:Migrations",
  sqlObject: "pulumi-nodejs:dynamic/schema:SqlObject",
} as const;

export function ofType(run: ProgramRun, type: string): RegisteredResource[] {
  return run.resources.filter((r) => r.type === type);
}

export function named(run: ProgramRun, name: string): RegisteredResource {
  const found = run.resources.find((r) => r.name === name);
  if (!found) throw new Error(`No resource named '${name}'.`);
  return found;
}

/** Registration order follows promise resolution, so compare sets by name. */
export function sortByName<V extends { name?: unknown }>(items: V[]): V[] {
  return [...items].sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

export function countByType(run: ProgramRun): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of run.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}

export async function runStack(stack: string): Promise<ProgramRun> {
  return runProgram({
    stack,
    config: readStackFile(stack),
    secrets: getStackSecrets(stack),
    newResource: recordingMocks,
  });
}
