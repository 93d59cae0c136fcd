import { createRequire } from "module";
import * as pulumi from "@pulumi/pulumi";
import {
  buildProblemListError,
  defineProblemListError,
  isProblemListError,
} from "../../components/lib/problems";
import { ConfigError } from "../../components/config";
import { MigrationFileError, SqlObjectError } from "../../components/schema";
import {
  isMigrationRefusedError,
  validateMigrations,
  type AppliedMigration,
} from "../../components/schema/migration-plan";
import { TenantTableError } from "../../components/tenancy";

const SHELF_ERROR = defineProblemListError("ShelfError", (shelf: string) => `Shelf '${shelf}':`);

describe("problem-list errors", () => {
  it("build a plain Error that lists every problem under its heading", () => {
    const error = new SHELF_ERROR("top", ["'a' is missing.", "'b' is too long."]);
    expect(Object.getPrototypeOf(error)).toBe(Error.prototype);
    expect({ name: error.name, message: error.message, problems: error.problems }).toEqual({
      name: "ShelfError",
      message: "Shelf 'top':\n  - 'a' is missing.\n  - 'b' is too long.",
      problems: ["'a' is missing.", "'b' is too long."],
    });
  });

  it("keep the message first in the stack trace Pulumi prints", () => {
    const error = new SHELF_ERROR("top", ["'a' is missing."]);
    expect(error.stack?.split("\n").slice(0, 2)).toEqual([
      "ShelfError: Shelf 'top':",
      "  - 'a' is missing.",
    ]);
  });

  it("match instanceof by name, wherever the error was built", () => {
    const elsewhere = buildProblemListError("ShelfError", "Shelf 'x':", ["'a' is missing."]);
    const other = buildProblemListError("BoxError", "Box 'x':", ["'a' is missing."]);
    expect([elsewhere instanceof SHELF_ERROR, other instanceof SHELF_ERROR]).toEqual([true, false]);
    const lookalike = { name: "ShelfError", message: "Shelf 'x':", problems: [] };
    expect([
      new Error("Shelf 'x':") instanceof SHELF_ERROR,
      lookalike instanceof SHELF_ERROR,
    ]).toEqual([false, false]);
    expect(isProblemListError(elsewhere, "ShelfError")).toBe(true);
  });

  it("throw once when there are problems, and not at all without", () => {
    expect(() => SHELF_ERROR.throwIfAny("top", [])).not.toThrow();
    expect(() => SHELF_ERROR.throwIfAny("top", ["'a' is missing."])).toThrow(
      "Shelf 'top':\n  - 'a' is missing.",
    );
  });

  it.each([
    [
      "ConfigError",
      new ConfigError("pr-42", ["one.", "two."]),
      "Invalid configuration for stack 'pr-42' (stacks/Pulumi.pr-42.yaml):\n  - one.\n  - two.",
    ],
    [
      "TenantTableError",
      new TenantTableError("projects", ["one.", "two."]),
      "Invalid TenantTable 'projects':\n  - one.\n  - two.",
    ],
    [
      "SqlObjectError",
      new SqlObjectError(["one.", "two."]),
      "Invalid SQL objects:\n  - one.\n  - two.",
    ],
    [
      "MigrationFileError",
      new MigrationFileError(["one.", "two."]),
      "Invalid migration files:\n  - one.\n  - two.",
    ],
  ])("are what a %s is", (name, error, message) => {
    expect(Object.getPrototypeOf(error)).toBe(Error.prototype);
    expect({ name: error.name, message: error.message, problems: error.problems }).toEqual({
      name,
      message,
      problems: ["one.", "two."],
    });
    expect(error.stack?.startsWith(`${name}: ${message}\n    at `)).toBe(true);
  });
});

describe("MigrationRefusedError", () => {
  const gone: AppliedMigration = {
    track: "app",
    version: "0001",
    name: "create_projects",
    checksum: "0".repeat(64),
  };
  const refusal =
    "Migrations refused; the database was not changed:\n" +
    "  - 'app/0001_create_projects.sql' was applied but its file is gone. Applied migrations never change: restore the file.";

  it("lists every refusal under its heading", async () => {
    const error: unknown = await validateMigrations([], [gone]).catch((e: unknown) => e);
    expect(isMigrationRefusedError(error)).toBe(true);
    expect((error as Error).message).toBe(refusal);
  });

  it("keeps its message and name in code serialized for a dynamic provider", async () => {
    const serialized = await pulumi.runtime.serializeFunction(
      () => (applied: AppliedMigration[]) =>
        validateMigrations([], applied).catch((e: unknown) => ({
          refused: isMigrationRefusedError(e),
          message: (e as Error).message,
        })),
      { allowSecrets: true },
    );
    // Loaded as the dynamic-provider host loads it: a module of its own, requiring by package.
    const loaded = { exports: {} as Record<string, unknown> };
    new Function("exports", "require", "module", serialized.text)(
      loaded.exports,
      createRequire(__filename),
      loaded,
    );
    const factory = loaded.exports[serialized.exportName] as () => (
      applied: AppliedMigration[],
    ) => Promise<unknown>;
    expect(await factory()([gone])).toEqual({ refused: true, message: refusal });
  });
});
