import { TLS_ONLY_DATABASE } from "../../tools/testing/cluster";
import { getServerUrl } from "../../tools/testing/test-database";
import { quoteIdent } from "../../components/lib/pg";
import {
  checkProviderConfig,
  createStandIn,
  diffStandIn,
} from "../../tools/engine/postgresql-standin";
import {
  database,
  expectRejection,
  getRoleName,
  getThrownMessage,
  hasRole,
  provider,
  query,
  ROLE,
  useStandInDatabase,
} from "./postgresql-standin-fixtures";

useStandInDatabase();

describe("postgresql stand-in: provider configuration", () => {
  it("refuses sslmode prefer and allow with lib/pq's message", async () => {
    const refusal = (mode: string) =>
      `Error connecting to PostgreSQL server ${provider.host} (scheme: postgres): pq: unsupported sslmode "${mode}"; only "require" (default), "verify-full", "verify-ca", and "disable" supported`;
    expect(checkProviderConfig({ ...provider, sslmode: "prefer" })).toEqual([refusal("prefer")]);
    expect(checkProviderConfig({ ...provider, sslmode: "allow" })).toEqual([refusal("allow")]);
    await expectRejection(
      createStandIn({ ...provider, sslmode: "prefer" }, ROLE, { name: getRoleName("prefer") }),
      refusal("prefer"),
    );
  });

  it("accepts disable, require, verify-ca, verify-full and an unset sslmode", () => {
    for (const sslmode of ["disable", "require", "verify-ca", "verify-full", undefined])
      expect(checkProviderConfig({ ...provider, sslmode })).toEqual([]);
  });

  it("requires TLS when sslmode is unset, as lib/pq defaults to require", async () => {
    // The test cluster refuses this database any connection without TLS.
    const serverUrl = getServerUrl();
    await query(serverUrl, `create database ${quoteIdent(TLS_ONLY_DATABASE)}`);
    try {
      const tlsOnly = { ...provider, database: TLS_ONLY_DATABASE };
      const plain = getRoleName("plain");
      await expect(
        createStandIn({ ...tlsOnly, sslmode: "disable" }, ROLE, { name: plain }),
      ).rejects.toThrow(
        `Error connecting to PostgreSQL server ${provider.host} (scheme: postgres): pg_hba.conf rejects connection`,
      );
      expect(await hasRole(database.url, plain)).toBe(false);
      const unset = getRoleName("tls");
      await createStandIn({ ...tlsOnly, sslmode: undefined }, ROLE, { name: unset });
      expect(await hasRole(database.url, unset)).toBe(true);
    } finally {
      await query(serverUrl, `drop database ${quoteIdent(TLS_ONLY_DATABASE)} with (force)`);
    }
  });

  it("throws for a resource type it does not implement", () => {
    expect(getThrownMessage(() => diffStandIn("postgresql:index/grant:Grant", {}, {}))).toBe(
      "The postgresql stand-in does not implement 'postgresql:index/grant:Grant'.",
    );
  });

  it("throws for an input it does not model instead of ignoring it", () => {
    expect(getThrownMessage(() => diffStandIn(ROLE, {}, { name: "x", statementTimeout: 5 }))).toBe(
      `The postgresql stand-in does not model 'statementTimeout' of '${ROLE}'.`,
    );
  });
});
