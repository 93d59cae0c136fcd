import { validateStackConfig } from "../../components/config";
import { messageOf, PASSWORD_KEY, raw, server } from "./config-fixtures";

const KEY_SECRET = "orgstack:backupEncryptionKey";
const LONG_KEY = "k".repeat(32);
const heading = "Invalid configuration for stack 'pr-7' (stacks/Pulumi.pr-7.yaml):";
const base = { environment: "ephemeral", database: server, databasePassword: "pw" };

describe("orgstack:backup", () => {
  it("takes the schedule, directory, retention and key given", () => {
    const config = validateStackConfig(
      raw(
        "pr-7",
        {
          ...base,
          backup: {
            schedule: "30 2 * * 1-5",
            directory: "/var/backups/app",
            retention: { daily: 14, weekly: 0 },
            encrypt: true,
          },
          backupEncryptionKey: LONG_KEY,
        },
        [PASSWORD_KEY, KEY_SECRET],
      ),
    );
    expect(config.backup).toEqual({
      schedule: "30 2 * * 1-5",
      directory: "/var/backups/app",
      retention: { daily: 14, weekly: 0, monthly: 6 },
      encryptionKey: LONG_KEY,
    });
  });

  it("refuses the encryption key in plaintext", () => {
    expect(
      messageOf(raw("pr-7", { ...base, backup: { encrypt: true }, backupEncryptionKey: LONG_KEY })),
    ).toBe(
      [
        heading,
        `  - '${KEY_SECRET}' holds a credential in plaintext. Set it with: pulumi config set --secret ${KEY_SECRET} <value> --stack pr-7`,
      ].join("\n"),
    );
  });

  it("lists every problem of the part at once", () => {
    const input = raw(
      "pr-7",
      {
        ...base,
        backup: {
          schedule: "every night",
          encrypt: true,
          retention: { daily: 0, weekly: 0, monthly: 0 },
        },
      },
      [PASSWORD_KEY],
    );
    expect(messageOf(input)).toBe(
      [
        heading,
        `  - 'orgstack:backup.schedule' is "every night": expected five fields (minute hour day-of-month month day-of-week) of numbers, names, "*", "-", "," and "/", such as "0 3 * * *"; found 2 fields.`,
        `  - '${KEY_SECRET}' is required with 'orgstack:backup.encrypt' true; found nothing. Set it with: pulumi config set --secret ${KEY_SECRET} <at least 32 random characters> --stack pr-7`,
        `  - 'orgstack:backup.retention' keeps no archive (daily, weekly and monthly are all 0): keep at least one.`,
      ].join("\n"),
    );
  });

  it("refuses a short key, a key without encrypt, and unknown keys", () => {
    const short = raw(
      "pr-7",
      { ...base, backup: { encrypt: true }, backupEncryptionKey: "short" },
      [PASSWORD_KEY, KEY_SECRET],
    );
    expect(messageOf(short)).toBe(
      `${heading}\n  - '${KEY_SECRET}' is 5 characters long; it needs at least 32. Set it with: pulumi config set --secret ${KEY_SECRET} <at least 32 random characters> --stack pr-7`,
    );
    const unused = raw("pr-7", { ...base, backupEncryptionKey: LONG_KEY }, [
      PASSWORD_KEY,
      KEY_SECRET,
    ]);
    expect(messageOf(unused)).toBe(
      `${heading}\n  - '${KEY_SECRET}' is set but 'orgstack:backup.encrypt' is not true: set it to true to encrypt archives, or remove the key.`,
    );
    const unknown = raw("pr-7", { ...base, backup: { retention: { yearly: 1 } } });
    expect(messageOf(unknown)).toBe(
      `${heading}\n  - 'orgstack:backup.retention.yearly' is not a known key. Allowed keys: daily, weekly, monthly.`,
    );
  });

  describe("pitr", () => {
    const container = { environment: "local", database: { mode: "container" } };

    it("archives WAL by default where the stack owns the server, every 60 s", () => {
      const config = validateStackConfig(raw("local", container, []));
      expect(config.backup.pitr).toEqual({
        fullSchedule: "0 1 * * 0",
        diffSchedule: "0 1 * * 1-6",
        retentionFull: 2,
        retentionDiff: 6,
        archiveTimeoutSeconds: 60,
        encrypted: false,
      });
    });

    it("takes a schedule and retention, and can be turned off", () => {
      const pitr = { fullSchedule: "0 2 * * sat", retentionFull: 3, archiveTimeoutSeconds: 30 };
      const config = validateStackConfig(raw("local", { ...container, backup: { pitr } }, []));
      expect(config.backup.pitr).toMatchObject({ ...pitr, diffSchedule: "0 1 * * 1-6" });
      const off = { ...container, backup: { pitr: { enabled: false } } };
      expect(validateStackConfig(raw("local", off, [])).backup.pitr).toBeUndefined();
    });

    it("archives WAL with the stack's own image only when asked, since it may lack pgBackRest", () => {
      const ownImage = {
        environment: "local",
        database: { mode: "container", image: "acme/pg:15" },
      };
      expect(validateStackConfig(raw("local", ownImage, [])).backup.pitr).toBeUndefined();
      const asked = { ...ownImage, backup: { pitr: {} } };
      expect(validateStackConfig(raw("local", asked, [])).backup.pitr).toMatchObject({
        archiveTimeoutSeconds: 60,
      });
    });

    it("has no WAL archive where the stack does not own the server", () => {
      expect(validateStackConfig(raw("pr-7", base)).backup.pitr).toBeUndefined();
      expect(messageOf(raw("pr-7", { ...base, backup: { pitr: { retentionFull: 3 } } }))).toBe(
        `${heading}\n  - 'orgstack:backup.pitr' needs a server the stack owns (database mode "container"); found mode "server". Remove it: schedule \`npm run backup\` for logical backups instead.`,
      );
    });

    it("refuses an RPO over 60 s and a schedule that is not cron", () => {
      const pitr = { archiveTimeoutSeconds: 300, diffSchedule: "0 25 * * *" };
      expect(messageOf(raw("local", { ...container, backup: { pitr } }, []))).toBe(
        [
          "Invalid configuration for stack 'local' (stacks/Pulumi.local.yaml):",
          "  - 'orgstack:backup.pitr.archiveTimeoutSeconds': expected a number of at most 60; found 300.",
        ].join("\n"),
      );
      const late = { ...container, backup: { pitr: { diffSchedule: "0 25 * * *" } } };
      expect(messageOf(raw("local", late, []))).toBe(
        [
          "Invalid configuration for stack 'local' (stacks/Pulumi.local.yaml):",
          `  - 'orgstack:backup.pitr.diffSchedule' is "0 25 * * *": hour field "25" is not allowed: use 0-23, "*", ranges "a-b", lists "a,b" and steps "/n".`,
        ].join("\n"),
      );
    });
  });
});
