/**
 * `npm run worker` (scripts/worker.ts): the flags, every problem at once, and the deno command
 * it starts: narrow permissions and an environment cleared to the worker's variables.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { getWorkerLaunch } from "../../scripts/worker";

const ROOT = path.resolve(__dirname, "../..");
const HOOK = "https://hooks.example.test/services/T1/B2/secret-token";

describe("npm run worker", () => {
  it("runs runtime/worker/main.ts with network to the database and webhook only, and a cleared environment", () => {
    const launch = getWorkerLaunch(
      [
        "--stack",
        "pr-42",
        "--database-url",
        "postgres://authenticator@db.internal/app_pr_42",
        "--once",
      ],
      {
        PGPASSWORD: "pw",
        HOME: "/home/ops",
        ORGSTACK_ALERT_WEBHOOK_URL: HOOK,
        ORGSTACK_WORKER_CONCURRENCY: "2",
        AWS_SECRET_ACCESS_KEY: "not for the worker",
      },
      "/nowhere",
    );
    expect(launch).toEqual({
      command: path.join(ROOT, "node_modules/.bin/deno"),
      args: [
        "run",
        "--no-prompt",
        `--config=${ROOT}/runtime/deno.json`,
        "--allow-net=db.internal:5432,hooks.example.test",
        "--allow-env",
        `${ROOT}/runtime/worker/main.ts`,
        "--once",
      ],
      env: {
        ORGSTACK_ALERT_WEBHOOK_URL: HOOK,
        ORGSTACK_WORKER_CONCURRENCY: "2",
        ORGSTACK_DATABASE_URL: "postgres://authenticator:pw@db.internal/app_pr_42",
        HOME: "/home/ops",
        NO_COLOR: "1",
      },
    });
  });

  it("reads ./jobs when it exists, and passes the hosts and variables app handlers ask for", () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-worker-cli-"));
    fs.mkdirSync(path.join(cwd, "jobs"));
    const launch = getWorkerLaunch(
      ["--stack=dev", "--allow-host", "api.stripe.test,10.0.0.5:8443", "--env", "STRIPE_KEY"],
      { ORGSTACK_DATABASE_URL: "postgres://a:b@127.0.0.1:6543/app", STRIPE_KEY: "sk", OTHER: "x" },
      cwd,
    );
    fs.rmSync(cwd, { recursive: true });
    expect(launch.args.slice(3, 6)).toEqual([
      "--allow-net=127.0.0.1:6543,api.stripe.test,10.0.0.5:8443",
      "--allow-env",
      `--allow-read=${cwd}/jobs`,
    ]);
    expect(launch.env).toEqual({
      STRIPE_KEY: "sk",
      ORGSTACK_DATABASE_URL: "postgres://a:b@127.0.0.1:6543/app",
      ORGSTACK_JOBS_DIR: `${cwd}/jobs`,
      HOME: "/tmp",
      NO_COLOR: "1",
    });
  });

  it("lists every bad flag at once, without echoing a password", () => {
    expect(() =>
      getWorkerLaunch(
        [
          "--database-url",
          "postgres://u:hunter2@db/app",
          "--jobs-dir",
          "/does/not/exist",
          "--env",
          "BAD-NAME",
          "--loop",
        ],
        {},
        "/",
      ),
    ).toThrow(
      [
        "Invalid arguments. Usage: npm run worker -- --stack <stack> [--database-url <url>] [--once] [--jobs-dir <dir>] [--allow-host <host[:port]>,...] [--env <NAME>,...]",
        "  - '--loop' is not a known flag. Flags: --stack, --database-url, --jobs-dir, --allow-host, --env, --once.",
        "  - '--stack' is required: the stack to work on, e.g. --stack pr-42.",
        "  - '--database-url' holds a password, which ps shows to every user: remove it and set PGPASSWORD.",
        `  - '--jobs-dir': "/does/not/exist" is not a folder. Give the folder of <kind>.ts handlers.`,
        `  - '--env': expected a comma-separated list of variable names such as STRIPE_KEY; found "BAD-NAME".`,
      ].join("\n"),
    );
  });
});
