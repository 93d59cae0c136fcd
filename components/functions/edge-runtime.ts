import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { computeBuildContextHash } from "../database/container";
import { getChildName } from "../database/naming";
import { getConnectionUrl, type DatabaseConnection } from "../lib/pg";
import { buildWithin } from "../lib/resource-errors";
import type { EdgeFunction } from "./edge-function";
import { listFunctionFolders } from "./files";
import {
  getNpmPackageSpecs,
  EdgeRuntimeError,
  getSecretEnvs,
  MANIFEST_PATH,
  planEdgeRuntime,
  type EdgeRuntimePlan,
  RUNTIME_NPM_PACKAGES,
} from "./runtime-plan";
import { getApiKeyClaims, signHs256Jwt } from "./tokens";

/** The image's Dockerfile, alone in its folder: the build's main context. */
export const BUILD_CONTEXT = path.join(__dirname, "docker");
/** The library's runtime, found relative to the library as its platform SQL is. */
export const RUNTIME_DIR = path.resolve(__dirname, "../../runtime");
/** The library's package.json: the versions of the npm packages the image installs. */
const LIBRARY_PACKAGE = path.resolve(__dirname, "../../package.json");

/** How the runtime reaches the stack's database container. */
export interface EdgeRuntimeDatabase {
  /** The stack's authenticator login (Postgres `connections.authenticator`). */
  readonly authenticator: pulumi.Input<DatabaseConnection>;
  /** The stack's monitor login (pg_monitor): what /metrics and /ops read as. */
  readonly monitor: pulumi.Input<DatabaseConnection>;
  /** The Docker network the database container is on. */
  readonly networkName: pulumi.Input<string>;
  /** The database container's name on that network, and the port it listens on there. */
  readonly host: string;
  readonly port: number;
}

export interface EdgeRuntimeArgs {
  readonly stack: string;
  /** The program's functions folder: every function folder in it must be declared. */
  readonly functionsDir: string;
  readonly functions: readonly EdgeFunction[];
  /** The runtime is published on 127.0.0.1 at this port. */
  readonly publishedPort: number;
  /** HS256 secret the runtime verifies tokens with; made a secret here. */
  readonly jwtSecret: pulumi.Input<string>;
  readonly jwksUrl?: string;
  readonly database: EdgeRuntimeDatabase;
  /** npm packages the program's functions import besides jose, pg and zod, as `name@range`. */
  readonly npmPackages?: readonly string[];
  /** The program's job handlers (`<kind>.ts`), run by the runtime's worker. */
  readonly jobsDir?: string;
  /** Where the worker posts alerts; a secret. */
  readonly alertWebhookUrl?: pulumi.Input<string>;
}

/**
 * Container mode: an image of the runtime and the program's functions, run on the database's
 * network with its secrets, a health check on /health and a restart policy.
 */
export class EdgeRuntime extends pulumi.ComponentResource {
  /** The runtime's URL on this machine, as clients call it (`<url>/functions/v1/<name>`). */
  public readonly url: pulumi.Output<string>;
  /** The bearer token of /metrics and /ops: generated, a secret. */
  public readonly metricsToken: pulumi.Output<string>;

  constructor(name: string, args: EdgeRuntimeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orgstack:functions:EdgeRuntime", name, {}, opts);
    const plan = buildWithin(this, () =>
      planEdgeRuntime({
        stack: args.stack,
        functions: args.functions.map((f) => ({ name: f.functionName, settings: f.settings })),
        folders: listFunctionFolders(args.functionsDir),
        publishedPort: args.publishedPort,
        jwksUrl: args.jwksUrl,
        hasJobs: args.jobsDir !== undefined,
      }),
    );
    buildWithin(this, () => {
      const jobsDir = args.jobsDir;
      if (
        jobsDir !== undefined &&
        !fs.statSync(jobsDir, { throwIfNoEntry: false })?.isDirectory()
      ) {
        EdgeRuntimeError.throwIfAny(args.stack, [
          `'jobsDir': '${jobsDir}' is not a folder. Give the folder of job handlers (<kind>.ts), or leave jobsDir out.`,
        ]);
      }
    });
    const npmPackages = buildWithin(this, () => [
      ...getNpmPackageSpecs(readDependencies(), RUNTIME_NPM_PACKAGES),
      ...(args.npmPackages ?? []),
    ]);
    const image = createImage(
      name,
      {
        imageName: plan.imageName,
        functionsDir: args.functionsDir,
        jobsDir: args.jobsDir,
        npmPackages,
      },
      this,
    );
    this.metricsToken = new random.RandomPassword(
      getChildName(name, "metrics-token"),
      // Letters and digits: it travels in an Authorization header and a Prometheus file.
      { length: 48, special: false },
      { parent: this },
    ).result;
    createContainer(
      name,
      { plan, args, imageId: image.imageId, metricsToken: this.metricsToken },
      this,
    );
    this.url = pulumi.output(`http://localhost:${args.publishedPort}`);
    this.registerOutputs({ url: this.url, metricsToken: this.metricsToken });
  }
}

/** The runtime's container, with its secrets as one secret list of variables. */
function createContainer(
  name: string,
  options: {
    readonly plan: EdgeRuntimePlan;
    readonly args: EdgeRuntimeArgs;
    readonly imageId: pulumi.Input<string>;
    readonly metricsToken: pulumi.Input<string>;
  },
  parent: pulumi.Resource,
): docker.Container {
  const { plan, args } = options;
  const { database } = args;
  const secretEnvs = pulumi
    .all([
      args.jwtSecret,
      database.authenticator,
      database.monitor,
      options.metricsToken,
      args.alertWebhookUrl,
    ])
    .apply(([jwtSecret, authenticator, monitor, metricsToken, alertWebhookUrl]) =>
      getSecretEnvs({
        jwtSecret,
        databaseUrl: getConnectionUrl(authenticator, database),
        anonKey: signHs256Jwt(getApiKeyClaims("anon"), jwtSecret),
        serviceRoleKey: signHs256Jwt(getApiKeyClaims("service_role"), jwtSecret),
        monitorDatabaseUrl: getConnectionUrl(monitor, database),
        metricsToken,
        alertWebhookUrl,
      }),
    );
  return new docker.Container(
    getChildName(name, "container"),
    {
      name: plan.containerName,
      image: options.imageId,
      envs: pulumi.secret(secretEnvs.apply((secrets) => [...plan.envs, ...secrets])),
      uploads: [{ file: MANIFEST_PATH, content: plan.manifestJson, permissions: "0644" }],
      ports: [{ internal: plan.internalPort, external: args.publishedPort, ip: "127.0.0.1" }],
      networksAdvanced: [{ name: args.database.networkName }],
      healthcheck: {
        tests: [...plan.healthCheck],
        interval: "5s",
        timeout: "3s",
        retries: 5,
        startPeriod: "10s",
      },
      wait: true,
      waitTimeout: 120,
      restart: "unless-stopped",
    },
    { parent, deleteBeforeReplace: true },
  );
}

/**
 * Built with buildx, never the legacy builder, for Docker 29's containerd image store (see
 * createImage in ../database/container.ts). The runtime and functions folders are named build
 * contexts; the triggers hash each context, so an edit to any of them rebuilds the image and
 * the preview's diff says which.
 */
function createImage(
  name: string,
  options: {
    readonly imageName: string;
    readonly functionsDir: string;
    readonly jobsDir?: string;
    readonly npmPackages: readonly string[];
  },
  parent: pulumi.Resource,
): docker.RemoteImage {
  const jobsDir = options.jobsDir ?? getEmptyContext();
  return new docker.RemoteImage(
    getChildName(name, "image"),
    {
      name: options.imageName,
      keepLocally: true,
      build: {
        context: BUILD_CONTEXT,
        dockerfile: "Dockerfile",
        useLegacyBuilder: false,
        additionalContexts: [
          `runtime=${RUNTIME_DIR}`,
          `functions=${options.functionsDir}`,
          `jobs=${jobsDir}`,
        ],
        buildArgs: { NPM_PACKAGES: options.npmPackages.join(" ") },
      },
      triggers: {
        dockerfileHash: computeBuildContextHash(BUILD_CONTEXT),
        runtimeHash: computeBuildContextHash(RUNTIME_DIR),
        functionsHash: computeBuildContextHash(options.functionsDir),
        jobsHash: computeBuildContextHash(jobsDir),
      },
    },
    { parent },
  );
}

/**
 * The `jobs` build context of a program without job handlers: an empty folder at a fixed path,
 * so the image's inputs (and the preview) stay the same from run to run.
 */
function getEmptyContext(): string {
  const dir = path.join(os.tmpdir(), "orgstack-empty-build-context");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function readDependencies(): Record<string, string> {
  const text = fs.readFileSync(LIBRARY_PACKAGE, "utf8");
  return (JSON.parse(text) as { dependencies?: Record<string, string> }).dependencies ?? {};
}
