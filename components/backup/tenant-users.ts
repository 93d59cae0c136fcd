import type { Client } from "pg";
import { PROFILES } from "./tenant-catalog";
import type { TenantFile } from "./tenant-file";

/**
 * How the file's users map onto the target's. Users are people, not tenant data, so they are
 * never copied over someone: a file user is the target user with the same email (lowercase, as
 * auth.users keeps it), else the target user with the same id and no other email, else a new
 * auth.users row with the file's id and email, and the file's profile. An id the target gives
 * to another email is refused. `--new-ids` never changes user ids: the same person keeps one.
 */
export interface UserResolution {
  /** File user id -> target user id, where they differ. */
  readonly ids: ReadonlyMap<string, string>;
  /** Users to create: id -> email (null for phone sign-ins). */
  readonly created: ReadonlyMap<string, string | null>;
  readonly matched: number;
}

/** Resolves the file's profiles against the target's auth.users; conflicts go to `problems`. */
export async function resolveUsers(
  client: Client,
  file: TenantFile,
  problems: string[],
): Promise<UserResolution> {
  const profiles = file.rows
    .filter((r) => r.table === PROFILES)
    .map((r) => ({ id: String(r.values.id), email: (r.values.email as string | null) ?? null }));
  const { rows } = await client.query(
    "select id, email from auth.users where id = any ($1::uuid[]) or email = any ($2::text[])",
    [profiles.map((p) => p.id), profiles.flatMap((p) => (p.email ? [p.email] : []))],
  );
  const ids = new Map<string, string>();
  const created = new Map<string, string | null>();
  let matched = 0;
  for (const profile of profiles) {
    const byEmail = profile.email ? rows.find((u) => u.email === profile.email) : undefined;
    const byId = rows.find((u) => u.id === profile.id);
    if (byEmail) {
      if (byEmail.id !== profile.id) ids.set(profile.id, byEmail.id);
      matched++;
    } else if (byId && byId.email !== null && byId.email !== profile.email) {
      problems.push(
        `User ${profile.id} is ${JSON.stringify(profile.email)} in the file but ` +
          `${JSON.stringify(byId.email)} in the target. Make the two agree, then import again.`,
      );
    } else if (byId) {
      matched++;
    } else {
      created.set(profile.id, profile.email);
    }
  }
  return { ids, created, matched };
}
