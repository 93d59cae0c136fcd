import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as pulumiModule from "@pulumi/pulumi";
import type * as configModule from "../../components/config";
import type * as containerModule from "../../components/database/container";
import type * as planModule from "../../components/database/plan";

const IMAGE = "docker:index/remoteImage:RemoteImage";
const CONTAINER = "docker:index/container:Container";

/** Output properties the docker provider computes; any other type is refused. */
const COMPUTED: Record<string, (name: string) => Record<string, unknown>> = {
  [IMAGE]: (name) => ({ imageId: `sha256:${name}` }),
  "docker:index/volume:Volume": () => ({}),
  "docker:index/network:Network": () => ({}),
  [CONTAINER]: () => ({}),
};

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  readonly inputs: Record<string, unknown>;
  readonly deleteBeforeReplace: boolean;
}

/**
 * Runs createContainer alone under Pulumi mocks for a container-mode `orgstack:database`, and
 * returns every child it registered with its inputs and options.
 */
async function runCreateContainer(database: Record<string, unknown>): Promise<Registered[]> {
  const registered: Registered[] = [];
  await jest.isolateModulesAsync(async () => {
    const pulumi = require("@pulumi/pulumi") as typeof pulumiModule;
    const settings = require("@pulumi/pulumi/runtime/settings");
    const inputs = new Map<string, Record<string, unknown>>();
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          if (args.custom === false) return { id: "", state: {} };
          const compute = COMPUTED[args.type];
          if (!compute) throw new Error(`Mock not implemented: resource type '${args.type}'.`);
          inputs.set(args.name, args.inputs);
          return { id: `${args.name}-id`, state: { ...args.inputs, ...compute(args.name) } };
        },
        call: (args) => {
          throw new Error(`Mock not implemented: function '${args.token}'.`);
        },
      },
      "orgstack",
      "local",
      false,
    );
    const monitor = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, res: any) => void) =>
      register(req, (err: unknown, res: any) => {
        if (!err && req.getCustom()) {
          registered.push({
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent(),
            inputs: inputs.get(req.getName()) ?? {},
            deleteBeforeReplace: req.getDeletebeforereplace() ?? false,
          });
        }
        callback(err, res);
      });

    const { validateStackConfig } = require("../../components/config") as typeof configModule;
    const { planDatabase } = require("../../components/database/plan") as typeof planModule;
    const { createContainer } =
      require("../../components/database/container") as typeof containerModule;
    const config = validateStackConfig({
      stack: "local",
      values: { environment: "local", database: JSON.stringify(database) },
      secretKeys: new Set(),
    });
    const parent = new pulumi.ComponentResource("orgstack:test:Parent", "orgstack");
    const container = createContainer({
      name: "orgstack",
      config,
      plan: planDatabase(config).container!,
      adminPassword: pulumi.secret("admin-pw"),
      parent,
    });
    // Rejects when a registration failed, instead of never settling.
    await (container.id as unknown as { promise(): Promise<string> }).promise();
    await settings.waitForRPCs();
  });
  return registered;
}

function named(resources: readonly Registered[], name: string): Registered {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`No resource named '${name}'.`);
  return found;
}

describe("createContainer", () => {
  let bundled: Registered[];
  beforeAll(async () => {
    bundled = await runCreateContainer({ mode: "container", publishedPort: 54322 });
  });

  it("registers the image, volume, network and container under the parent", () => {
    expect(bundled.map((r) => [r.type, r.name]).sort()).toEqual([
      [CONTAINER, "orgstack-container"],
      ["docker:index/network:Network", "orgstack-network"],
      [IMAGE, "orgstack-image"],
      // WAL archiving (backup.pitr, on by default in container mode): the repository and the
      // socket directory the backup container shares.
      ["docker:index/volume:Volume", "orgstack-pgbackrest-volume"],
      ["docker:index/volume:Volume", "orgstack-socket-volume"],
      ["docker:index/volume:Volume", "orgstack-volume"],
    ]);
    const parents = new Set(bundled.map((r) => r.parent));
    expect([...parents]).toEqual([expect.stringMatching(/orgstack:test:Parent::orgstack$/)]);
  });

  it("checks health over TCP on 127.0.0.1, so the socket-only init server never passes", () => {
    expect(named(bundled, "orgstack-container").inputs.healthcheck).toEqual({
      tests: [
        "CMD",
        "pg_isready",
        "--host=127.0.0.1",
        "--port=5432",
        "--username=postgres",
        "--dbname=app",
      ],
      interval: "2s",
      timeout: "5s",
      retries: 30,
      startPeriod: "5s",
    });
  });

  it("publishes the internal port the health check uses on 127.0.0.1", () => {
    expect(named(bundled, "orgstack-container").inputs.ports).toEqual([
      { internal: 5432, external: 54322, ip: "127.0.0.1" },
    ]);
  });

  it("builds the bundled image with buildx, never the legacy builder", () => {
    const { BUILD_CONTEXT } = jest.requireActual(
      "../../components/database/container",
    ) as typeof containerModule;
    expect(named(bundled, "orgstack-image").inputs).toMatchObject({
      name: "orgstack/postgres:15",
      keepLocally: true,
      build: { context: BUILD_CONTEXT, dockerfile: "Dockerfile", useLegacyBuilder: false },
    });
    expect(BUILD_CONTEXT).toMatch(/components[\\/]database[\\/]docker$/);
  });

  it("rebuilds when the build context changes: its hash is a replacement trigger", () => {
    const { BUILD_CONTEXT, computeBuildContextHash } = jest.requireActual(
      "../../components/database/container",
    ) as typeof containerModule;
    expect(named(bundled, "orgstack-image").inputs.triggers).toEqual({
      buildContextHash: computeBuildContextHash(BUILD_CONTEXT),
    });
  });

  it("runs the built image's id and is deleted before it is replaced", () => {
    const container = named(bundled, "orgstack-container");
    expect(container.inputs.image).toBe("sha256:orgstack-image");
    expect(container.deleteBeforeReplace).toBe(true);
  });

  it("pulls a configured image without building or triggers", async () => {
    const pulled = await runCreateContainer({ mode: "container", image: "postgres:15" });
    const image = named(pulled, "orgstack-image").inputs;
    expect({ name: image.name, build: image.build, triggers: image.triggers }).toEqual({
      name: "postgres:15",
      build: undefined,
      triggers: undefined,
    });
  });
});

describe("computeBuildContextHash", () => {
  const { computeBuildContextHash } = jest.requireActual(
    "../../components/database/container",
  ) as typeof containerModule;
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-context-"));
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM postgres:15-bookworm\n");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is a SHA-256 that stays the same for the same files", () => {
    const first = computeBuildContextHash(dir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(computeBuildContextHash(dir)).toBe(first);
  });

  it("changes when the Dockerfile changes", () => {
    const before = computeBuildContextHash(dir);
    fs.appendFileSync(path.join(dir, "Dockerfile"), "RUN true\n");
    expect(computeBuildContextHash(dir)).not.toBe(before);
  });

  it("changes when a file is added in a subfolder or renamed", () => {
    const before = computeBuildContextHash(dir);
    fs.mkdirSync(path.join(dir, "initdb"));
    fs.writeFileSync(path.join(dir, "initdb", "a.sql"), "select 1;\n");
    const added = computeBuildContextHash(dir);
    fs.renameSync(path.join(dir, "initdb", "a.sql"), path.join(dir, "initdb", "b.sql"));
    expect(new Set([before, added, computeBuildContextHash(dir)]).size).toBe(3);
  });
});
