import type { StackConfig } from "../config";
import {
  CONTAINER_ARCHIVE_DIRECTORY,
  getBackupAgentSettings,
  getContainerPitrPlacement,
  type BackupAgentSettings,
} from "./agent-settings";
import type { PitrOptions } from "./pitr-options";
import { getPgbackrestConf, getPostgresSettings } from "./pitr-settings";

/**
 * What backups add to a container-mode stack: a volume for the logical archives, a backup
 * container running the agent, and with point-in-time recovery a pgBackRest repository volume
 * and the socket directory the database and backup containers share. Pure: no resources.
 */
export interface ContainerBackupPlan {
  readonly containerName: string;
  readonly imageName: string;
  readonly archiveVolumeName: string;
  readonly archiveDirectory: string;
  readonly settings: BackupAgentSettings;
  readonly pitr?: ContainerPitrPlan;
}

export interface ContainerPitrPlan {
  readonly options: PitrOptions;
  readonly repoVolumeName: string;
  readonly socketVolumeName: string;
  /** /etc/pgbackrest/pgbackrest.conf in both containers: no secret in it. */
  readonly pgbackrestConf: string;
  /** `-c` settings of the database server: WAL archiving into the repository. */
  readonly serverSettings: Readonly<Record<string, string>>;
}

/** Where pgBackRest looks without --config, in both images. */
export const PGBACKREST_CONF_PATH = "/etc/pgbackrest/pgbackrest.conf";

/** The backup side of a container-mode stack whose containers are named `<base>-*`. */
export function planContainerBackups(
  config: StackConfig,
  base: string,
  port: number,
): ContainerBackupPlan {
  const placement = getContainerPitrPlacement(config.database.adminUser, port);
  const settings = getBackupAgentSettings(config.stack, config.backup, placement);
  return {
    containerName: `${base}-backup`,
    imageName: `orgstack/backup:${config.stack}`,
    archiveVolumeName: `${base}-backups`,
    archiveDirectory: CONTAINER_ARCHIVE_DIRECTORY,
    settings,
    ...(settings.pitr && {
      pitr: {
        options: settings.pitr,
        repoVolumeName: `${base}-pgbackrest`,
        socketVolumeName: `${base}-run`,
        pgbackrestConf: getPgbackrestConf(settings.pitr),
        serverSettings: getPostgresSettings(settings.pitr),
      },
    }),
  };
}
