import type { BackupConfig, BackupRetention } from "../config/backup";
import { DATA_DIRECTORY } from "../database/image-paths";
import type { PitrOptions, PitrPlacement } from "./pitr-options";

/**
 * What the backup agent (scripts/backup-agent.ts) runs, as plain JSON: the container gets it in
 * BACKUP_AGENT_SETTINGS_ENV. Connection URLs and keys are secrets and travel in their own
 * variables, never in this JSON, which `docker inspect` and the preview show.
 */
export interface BackupAgentSettings {
  readonly stack: string;
  readonly logical: {
    readonly schedule: string;
    readonly directory: string;
    readonly retention: BackupRetention;
  };
  /** Absent where the stack does not archive WAL. */
  readonly pitr?: PitrOptions;
}

export const BACKUP_AGENT_SETTINGS_ENV = "ORGSTACK_BACKUP_AGENT_SETTINGS";
/** The backup role's URL, password included: logical backups and the run history. */
export const BACKUP_URL_ENV = "ORGSTACK_BACKUP_DATABASE_URL";
/** The admin's URL: the drill creates and drops its scratch database and restores roles. */
export const ADMIN_URL_ENV = "ORGSTACK_ADMIN_DATABASE_URL";

/** Where the backup container keeps the published logical archives (a volume). */
export const CONTAINER_ARCHIVE_DIRECTORY = "/var/lib/orgstack/backups";

/**
 * Where things live in the database and backup containers. The paths are the image's: the
 * official postgres image's data directory and socket directory, and the repository directory
 * Debian's pgbackrest package creates owned by postgres (so a new volume there inherits it).
 */
export function getContainerPitrPlacement(adminUser: string, port: number): PitrPlacement {
  return {
    stanza: "orgstack",
    dataDirectory: DATA_DIRECTORY,
    socketDirectory: "/var/run/postgresql",
    port,
    user: adminUser,
    repoPath: "/var/lib/pgbackrest",
    statePath: "/tmp/pgbackrest",
  };
}

/** The settings of a container-mode stack's agent. */
export function getBackupAgentSettings(
  stack: string,
  backup: BackupConfig,
  placement: PitrPlacement,
): BackupAgentSettings {
  return {
    stack,
    logical: {
      schedule: backup.schedule,
      directory: CONTAINER_ARCHIVE_DIRECTORY,
      retention: backup.retention,
    },
    ...(backup.pitr && { pitr: { ...backup.pitr, ...placement } }),
  };
}
