import type * as pulumi from "@pulumi/pulumi";
import type { Client } from "pg";
import {
  describePgError,
  getClientConfig,
  isPgError,
  quoteIdent,
  withClient,
  withTransaction,
  type DatabaseConnection,
} from "../lib/pg";

/** A cluster-wide role every orgstack database on the server shares. */
export interface SharedRoleSpec {
  readonly name: string;
  readonly bypassRowLevelSecurity: boolean;
}

export interface PlatformRolesInputs {
  readonly connection: DatabaseConnection;
  readonly roles: readonly SharedRoleSpec[];
}

export const PLATFORM_ROLES_APPLICATION_NAME = "orgstack platform roles";

/** Another stack created the role between our check and our CREATE ROLE. */
const ROLE_EXISTS_CODES = ["42710", "23505"];

export function getCreateRoleStatement(role: SharedRoleSpec): string {
  const rls = role.bypassRowLevelSecurity ? "bypassrls" : "nobypassrls";
  return `create role ${quoteIdent(role.name)} nologin inherit ${rls}`;
}

export function getAlterRoleStatement(role: SharedRoleSpec): string {
  const rls = role.bypassRowLevelSecurity ? "bypassrls" : "nobypassrls";
  return `alter role ${quoteIdent(role.name)} nologin inherit ${rls}`;
}

/** Roles still used elsewhere: privileges in another database, or members (another stack's login role). */
const ROLES_IN_USE = `
  select r.rolname from pg_roles r
   where r.rolname = any($1)
     and (exists (select 1 from pg_shdepend d
                   where d.refclassid = 'pg_authid'::regclass and d.refobjid = r.oid
                     and d.dbid not in (0, (select oid from pg_database where datname = current_database())))
          or exists (select 1 from pg_auth_members m where m.roleid = r.oid))`;

/** SQLSTATE dependent_objects_still_exist: another stack took the role into use meanwhile. */
const ROLE_IN_USE_CODE = "2BP01";

/** Whether an existing role already has the attributes the spec asks for. */
const ROLE_MATCHES =
  "select 1 from pg_roles where rolname = $1 and not rolcanlogin and rolinherit and rolbypassrls = $2";

async function ensureRoles(client: Client, roles: readonly SharedRoleSpec[]): Promise<void> {
  for (const role of roles) {
    await client.query("savepoint create_role");
    try {
      await client.query(getCreateRoleStatement(role));
    } catch (error) {
      if (!isPgError(error) || !ROLE_EXISTS_CODES.includes(error.code ?? "")) throw error;
      await client.query("rollback to savepoint create_role");
      // Adopted: altered only when it differs, so adopting never writes another stack's role.
      const matches = await client.query(ROLE_MATCHES, [role.name, role.bypassRowLevelSecurity]);
      if (matches.rowCount === 0) await client.query(getAlterRoleStatement(role));
    }
  }
  // A privilege in this database records its use in pg_shdepend at once, so another stack's
  // destroy sees the role in use (or waits for this transaction) instead of dropping it.
  const names = roles.map((r) => quoteIdent(r.name)).join(", ");
  await client.query(`grant usage on schema public to ${names}`);
}

/** Drops the role unless another stack took it into use since the check. */
async function dropUnlessInUse(client: Client, name: string): Promise<void> {
  await client.query("savepoint drop_role");
  try {
    await client.query(`drop role ${quoteIdent(name)}`);
  } catch (error) {
    if (!isPgError(error) || error.code !== ROLE_IN_USE_CODE) throw error;
    await client.query("rollback to savepoint drop_role");
  }
}

async function apply(inputs: PlatformRolesInputs): Promise<void> {
  await withClient(getClientConfig(inputs.connection, PLATFORM_ROLES_APPLICATION_NAME), (client) =>
    withTransaction(client, () => ensureRoles(client, inputs.roles)),
  ).catch((error: unknown) => {
    const names = inputs.roles.map((r) => r.name).join(", ");
    throw new Error(`Could not create the platform roles ${names}: ${describePgError(error)}`, {
      cause: error,
    });
  });
}

/**
 * Dynamic provider for anon, authenticated and service_role. They are cluster-wide and shared
 * by every stack on a server: create adopts roles another stack made, and delete removes only
 * this database's use of them, dropping a role once no other database or login role uses it.
 * Keep it a plain object: Pulumi serializes it.
 */
export const platformRolesProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id: string, olds: PlatformRolesInputs, news: PlatformRolesInputs) {
    const changes = JSON.stringify(olds.roles) !== JSON.stringify(news.roles);
    const connectionChanged = JSON.stringify(olds.connection) !== JSON.stringify(news.connection);
    return { changes: changes || connectionChanged, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs: PlatformRolesInputs) {
    await apply(inputs);
    return { id: inputs.roles.map((r) => r.name).join(","), outs: inputs };
  },

  /** Gone when any role is missing, so the next `up` creates it again. */
  async read(id: string, props: PlatformRolesInputs) {
    const names = props.roles.map((r) => r.name);
    const { rows } = await withClient(
      getClientConfig(props.connection, PLATFORM_ROLES_APPLICATION_NAME),
      (client) =>
        client.query("select count(*)::int as n from pg_roles where rolname = any($1)", [names]),
    );
    return rows[0].n === names.length ? { id, props } : {};
  },

  async update(_id: string, olds: PlatformRolesInputs, news: PlatformRolesInputs) {
    if (JSON.stringify(olds.roles) !== JSON.stringify(news.roles)) await apply(news);
    return { outs: news };
  },

  async delete(_id: string, props: PlatformRolesInputs) {
    const names = props.roles.map((r) => r.name);
    const quoted = names.map(quoteIdent).join(", ");
    await withClient(getClientConfig(props.connection, PLATFORM_ROLES_APPLICATION_NAME), (client) =>
      withTransaction(client, async () => {
        // What the roles own here goes to the admin, and their privileges here go away.
        await client.query(`reassign owned by ${quoted} to current_user`);
        await client.query(`drop owned by ${quoted}`);
        const inUse = new Set(
          (await client.query<{ rolname: string }>(ROLES_IN_USE, [names])).rows.map(
            (r) => r.rolname,
          ),
        );
        for (const name of names) {
          if (!inUse.has(name)) await dropUnlessInUse(client, name);
        }
      }),
    ).catch((error: unknown) => {
      throw new Error(
        `Could not remove the platform roles ${names.join(", ")}: ${describePgError(error)}`,
        {
          cause: error,
        },
      );
    });
  },
};
