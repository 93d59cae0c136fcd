import { assertEquals } from "../../tests/_assert.ts";
import { getWorkerCommand } from "../process.ts";

Deno.test("the runtime's worker process gets the database and webhook hosts, the jobs folder, and none of the gateway's secrets", () => {
  const { args, env } = getWorkerCommand(
    {
      ORGSTACK_WORKER: "on",
      ORGSTACK_JWT_SECRET: "gateway-only-secret",
      ORGSTACK_SERVICE_ROLE_KEY: "gateway-only-key",
      ORGSTACK_ALERT_WEBHOOK_URL: "https://hooks.example.test/services/T0/B0/token",
      ORGSTACK_JOBS_DIR: "/opt/orgstack/jobs",
      ORGSTACK_WORKER_CONCURRENCY: "2",
      HOME: "/home/deno",
    },
    "postgresql://authenticator:pw@orgstack-local-postgres:5432/app?sslmode=disable",
  );
  assertEquals(args.slice(0, 2), ["run", "--no-prompt"]);
  assertEquals(args.slice(3, 6), [
    "--allow-net=orgstack-local-postgres:5432,hooks.example.test",
    "--allow-env",
    "--allow-read=/opt/orgstack/jobs",
  ]);
  assertEquals(env, {
    ORGSTACK_WORKER_CONCURRENCY: "2",
    ORGSTACK_JOBS_DIR: "/opt/orgstack/jobs",
    ORGSTACK_ALERT_WEBHOOK_URL: "https://hooks.example.test/services/T0/B0/token",
    ORGSTACK_DATABASE_URL: "postgresql://authenticator:pw@orgstack-local-postgres:5432/app?sslmode=disable",
    NO_COLOR: "1",
    HOME: "/home/deno",
  });
});
