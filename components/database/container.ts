import * as path from "path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { getChildName } from "./naming";
import type { ContainerPlan } from "./plan";

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
  const image = new docker.RemoteImage(
    getChildName(name, "image"),
    {
      name: plan.imageName,
      keepLocally: true,
      build: plan.buildImage
        ? { context: path.join(__dirname, "docker"), dockerfile: "Dockerfile" }
        : undefined,
    },
    opts,
  );
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
  return new docker.Container(
    getChildName(name, "container"),
    {
      name: plan.containerName,
      image: image.imageId,
      command: [...plan.command],
      envs: [
        pulumi.interpolate`POSTGRES_PASSWORD=${adminPassword}`,
        `POSTGRES_USER=${db.adminUser}`,
        `POSTGRES_DB=${db.name}`,
      ],
      ports: [{ internal: 5432, external: db.port, ip: "127.0.0.1" }],
      volumes: [{ volumeName: volume.name, containerPath: "/var/lib/postgresql/data" }],
      networksAdvanced: [{ name: network.name }],
      healthcheck: {
        tests: ["CMD-SHELL", `pg_isready -U ${db.adminUser} -d ${db.name}`],
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
