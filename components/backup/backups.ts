import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { computeBuildContextHash, getRepositoryCipherEnvs } from "../database/container";
import { getChildName } from "../database/naming";
import { planDatabase, type ContainerPlan } from "../database/plan";
import { getConnectionUrl, type DatabaseConnection } from "../lib/pg";
import { bundleBackupAgent } from "./agent-bundle";
import { ADMIN_URL_ENV, BACKUP_AGENT_SETTINGS_ENV, BACKUP_URL_ENV } from "./agent-settings";
import { PGBACKREST_CONF_PATH } from "./plan";
import { ENCRYPTION_KEY_ENV } from "./processes";

/** The backup image's Dockerfile, alone in its folder: the build's main context. */
export const BUILD_CONTEXT = path.join(__dirname, "docker");

export interface BackupsArgs {
  readonly config: StackConfig;
  /** The stack's admin and backup-role connections (Postgres `admin`, `connections.backup`). */
  readonly admin: pulumi.Input<DatabaseConnection>;
  readonly backupRole: pulumi.Input<DatabaseConnection>;
}

/**
 * The stack's backups. In container mode, a backup container beside the database runs the
 * backup agent: logical backups on `backup.schedule` (each drilled, then retention), and with
 * PITR pgBackRest's full and differential backups. Elsewhere the stack does not run the server,
 * so the component records the schedule and the command any scheduler runs.
 */
export class Backups extends pulumi.ComponentResource {
  /** The logical backup's cron schedule (UTC). */
  public readonly schedule: string;
  /** Whether WAL is archived for point-in-time recovery. */
  public readonly pointInTimeRecovery: boolean;
  /** What runs the backups: the backup container's name, or the command to schedule. */
  public readonly runner: string;

  constructor(name: string, args: BackupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orgstack:backup:Backups", name, {}, opts);
    const { config } = args;
    const container = planDatabase(config).container;
    this.schedule = config.backup.schedule;
    this.pointInTimeRecovery = container?.backup.pitr !== undefined;
    this.runner = container
      ? container.backup.containerName
      : `npm run backup -- --stack ${config.stack} (then npm run backup:drill), on "${config.backup.schedule}"`;
    if (container) createBackupContainer(name, { args, plan: container }, this);
    this.registerOutputs({
      schedule: this.schedule,
      pointInTimeRecovery: this.pointInTimeRecovery,
      runner: this.runner,
    });
  }
}

function createBackupContainer(
  name: string,
  options: { readonly args: BackupsArgs; readonly plan: ContainerPlan },
  parent: pulumi.Resource,
): docker.Container {
  const { args, plan } = options;
  const { config } = args;
  const backup = plan.backup;
  const opts = { parent };
  const archives = new docker.Volume(
    getChildName(name, "backups-volume"),
    { name: backup.archiveVolumeName },
    { ...opts, protect: config.protect, retainOnDelete: config.protect },
  );
  const image = createImage(name, backup.imageName, opts);
  const reach = { host: plan.containerName, port: plan.internalPort };
  const envs = pulumi
    .all([args.admin, args.backupRole])
    .apply(([admin, backupRole]) => [
      `${BACKUP_AGENT_SETTINGS_ENV}=${JSON.stringify(backup.settings)}`,
      `${BACKUP_URL_ENV}=${getConnectionUrl(backupRole, reach)}`,
      `${ADMIN_URL_ENV}=${getConnectionUrl(admin, reach)}`,
      ...(config.backup.encryptionKey
        ? [`${ENCRYPTION_KEY_ENV}=${config.backup.encryptionKey}`]
        : []),
      ...getRepositoryCipherEnvs(config, plan),
    ]);
  const pitr = backup.pitr;
  return new docker.Container(
    getChildName(name, "backup-container"),
    {
      name: backup.containerName,
      image: image.imageId,
      envs: pulumi.secret(envs),
      volumes: [
        { volumeName: archives.name, containerPath: backup.archiveDirectory },
        ...(pitr
          ? [
              // Backups read the data files; a point-in-time restore, run here with the
              // database stopped (docs/backups.md), writes them.
              { volumeName: plan.volumeName, containerPath: pitr.options.dataDirectory },
              { volumeName: pitr.repoVolumeName, containerPath: pitr.options.repoPath },
              { volumeName: pitr.socketVolumeName, containerPath: pitr.options.socketDirectory },
            ]
          : []),
      ],
      uploads: pitr
        ? [{ file: PGBACKREST_CONF_PATH, content: pitr.pgbackrestConf, permissions: "0644" }]
        : [],
      networksAdvanced: [{ name: plan.networkName }],
      restart: "unless-stopped",
    },
    { parent, deleteBeforeReplace: true },
  );
}

/**
 * Built with buildx like the database image (../database/container.ts). The agent bundle is the
 * named context `agent`, written to a folder named by its hash; the triggers carry that hash, so
 * a change to the agent's code rebuilds the image and the preview says so.
 */
function createImage(
  name: string,
  imageName: string,
  opts: pulumi.CustomResourceOptions,
): docker.RemoteImage {
  const bundle = bundleBackupAgent();
  const agentHash = crypto.createHash("sha256").update(bundle).digest("hex");
  const agentContext = path.join(os.tmpdir(), `orgstack-backup-agent-${agentHash.slice(0, 16)}`);
  fs.mkdirSync(agentContext, { recursive: true });
  fs.writeFileSync(path.join(agentContext, "backup-agent.js"), bundle);
  return new docker.RemoteImage(
    getChildName(name, "backup-image"),
    {
      name: imageName,
      keepLocally: true,
      build: {
        context: BUILD_CONTEXT,
        dockerfile: "Dockerfile",
        useLegacyBuilder: false,
        additionalContexts: [`agent=${agentContext}`],
      },
      triggers: { dockerfileHash: computeBuildContextHash(BUILD_CONTEXT), agentHash },
    },
    opts,
  );
}
