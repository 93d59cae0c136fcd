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
        `  - 'orgstack:backup.schedule': expected five cron fields (minute hour day-of-month month day-of-week), such as "0 3 * * *"; found "every night".`,
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
});
