/**
 * Archive names: `<stack>-<YYYYMMDD>T<HHMMSS>Z.dump`, `.dump.enc` when encrypted. The time is
 * when the backup started (UTC), so names sort in time order and retention reads dates from
 * names alone. An archive is written as `<name>.partial` and renamed only once verified.
 */

export const ARCHIVE_EXTENSION = ".dump";
export const ENCRYPTED_EXTENSION = ".enc";
export const PARTIAL_EXTENSION = ".partial";

const ARCHIVE_NAME = /^(.+)-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.dump(\.enc)?$/;

export interface ArchiveName {
  readonly stack: string;
  readonly takenAt: Date;
  readonly encrypted: boolean;
}

/** The published name of the archive of `stack` started at `takenAt`. */
export function getArchiveName(stack: string, takenAt: Date, encrypted: boolean): string {
  const stamp = takenAt
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
  return `${stack}-${stamp}${ARCHIVE_EXTENSION}${encrypted ? ENCRYPTED_EXTENSION : ""}`;
}

/** What a published archive's name says, or undefined for any other file (partials included). */
export function parseArchiveName(name: string): ArchiveName | undefined {
  const match = ARCHIVE_NAME.exec(name);
  if (!match) return undefined;
  const [, stack, year, month, day, hour, minute, second, enc] = match;
  const takenAt = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  if (Number.isNaN(takenAt.getTime())) return undefined;
  return { stack, takenAt, encrypted: enc !== undefined };
}
