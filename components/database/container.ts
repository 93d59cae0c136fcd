import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { PGBACKREST_CONF_PATH } from "../backup/plan";
import { CIPHER_PASS_ENV } from "../backup/pitr-options";
import type { StackConfig } from "../config";
import { DATA_DIRECTORY } from "./image-paths";
import { getChildName } from "./naming";
import type { ContainerPlan } from "./plan";

/** The bundled image's build context: the Dockerfile and everything next to it. */
export const BUILD_CONTEXT = path.join(__dirname, "docker");

export interface CreateContainerOptions {
  readonly name: string;
  readonly config: StackConfig;
  readonly plan: ContainerPlan;
  readonly adminPassword: pulumi.Output<string>;
  readonly parent: pulumi.Resource;
}

/** Container mode: the image, a named volume, a network and the PostgreSQL container. */
export function createContainer(options: CreateContainerOptions): docker.Container {
  const { name, config, plan, adminPassword } = options;
  const db = config.database;
  const opts = { parent: options.parent };
  const image = createImage(name, plan, opts);
  const volume = new docker.Volume(
    getChildName(name, "volume"),
    { name: plan.volumeName },
    { ...opts, protect: config.protect, retainOnDelete: config.protect },
  );
  const network = new docker.Network(
    getChildName(name, "network"),
    { name: plan.networkName },
    opts,
  );
  const archiving = createArchiving(name, config, plan, opts);
  return new docker.Container(
    getChildName(name, "container"),
    {
      name: plan.containerName,
      image: image.imageId,
      command: [...plan.command],
      envs: pulumi.secret(
        pulumi
          .all([adminPassword])
          .apply(([password]) => [
            `POSTGRES_PASSWORD=${password}`,
            `POSTGRES_USER=${db.adminUser}`,
            `POSTGRES_DB=${db.name}`,
            ...getRepositoryCipherEnvs(config, plan),
          ]),
      ),
      ports: [{ internal: plan.internalPort, external: db.port, ip: "127.0.0.1" }],
      volumes: [{ volumeName: volume.name, containerPath: DATA_DIRECTORY }, ...archiving.volumes],
      uploads: archiving.uploads,
      networksAdvanced: [{ name: network.name }],
      healthcheck: {
        tests: [...plan.healthCheck],
        interval: "2s",
        timeout: "5s",
        retries: 30,
        startPeriod: "5s",
      },
      wait: true,
      waitTimeout: 120,
      restart: "unless-stopped",
    },
    { ...opts, deleteBeforeReplace: true },
  );
}

interface Archiving {
  readonly volumes: docker.types.input.ContainerVolume[];
  readonly uploads: docker.types.input.ContainerUpload[];
}

/**
 * With point-in-time recovery, archive_command runs pgBackRest in this container: it needs the
 * repository volume (protected like the data: it is the other half of every restore), the
 * socket directory the backup container shares, and pgbackrest.conf.
 */
function createArchiving(
  name: string,
  config: StackConfig,
  plan: ContainerPlan,
  opts: pulumi.CustomResourceOptions,
): Archiving {
  const pitr = plan.backup.pitr;
  if (!pitr) return { volumes: [], uploads: [] };
  const repository = new docker.Volume(
    getChildName(name, "pgbackrest-volume"),
    { name: pitr.repoVolumeName },
    { ...opts, protect: config.protect, retainOnDelete: config.protect },
  );
  const sockets = new docker.Volume(
    getChildName(name, "socket-volume"),
    { name: pitr.socketVolumeName },
    opts,
  );
  return {
    volumes: [
      { volumeName: repository.name, containerPath: pitr.options.repoPath },
      { volumeName: sockets.name, containerPath: pitr.options.socketDirectory },
    ],
    uploads: [{ file: PGBACKREST_CONF_PATH, content: pitr.pgbackrestConf, permissions: "0644" }],
  };
}

/** The repository's passphrase, for archive-push and the agent: only when it is encrypted. */
export function getRepositoryCipherEnvs(config: StackConfig, plan: ContainerPlan): string[] {
  const key = config.backup.encryptionKey;
  return plan.backup.pitr?.options.encrypted && key ? [`${CIPHER_PASS_ENV}=${key}`] : [];
}

/**
 * The image: built from BUILD_CONTEXT, or the configured one pulled.
 *
 * The build goes through buildx (BuildKit), which loads the result into the engine's image store
 * whichever store it uses. Docker 29 defaults to the containerd image store, where the legacy
 * builder's build fails (kreuzwerker/terraform-provider-docker#534). In the provider that
 * @pulumi/docker 5.x bundles, `buildImage` in internal/provider/resource_docker_image_funcs.go
 * builds with buildx (`runBuild`, `exportLoad`) unless `use_legacy_builder` is set, so it is
 * pinned off here. (`docker.Image` hits the same containerd failure, pulumi/pulumi-docker#967.)
 *
 * `triggers` carries a hash of the build context: editing the Dockerfile replaces the image,
 * whose new id then replaces the container. `keepLocally` keeps a replaced image's tag, which
 * the new build has just taken over.
 */
function createImage(
  name: string,
  plan: ContainerPlan,
  opts: pulumi.CustomResourceOptions,
): docker.RemoteImage {
  return new docker.RemoteImage(
    getChildName(name, "image"),
    {
      name: plan.imageName,
      keepLocally: true,
      build: plan.buildImage
        ? { context: BUILD_CONTEXT, dockerfile: "Dockerfile", useLegacyBuilder: false }
        : undefined,
      triggers: plan.buildImage
        ? { buildContextHash: computeBuildContextHash(BUILD_CONTEXT) }
        : undefined,
    },
    opts,
  );
}

/** SHA-256 over every file's path (relative to `dir`), size and content, in a stable order. */
export function computeBuildContextHash(dir: string): string {
  const hash = createHash("sha256");
  for (const file of listFiles(dir)) {
    const content = fs.readFileSync(path.join(dir, file));
    hash.update(`${file}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest("hex");
}

function listFiles(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const relative = path.posix.join(prefix, entry.name);
      return entry.isDirectory() ? listFiles(dir, relative) : [relative];
    })
    .sort();
}
