import { validateStackConfig } from "../../components/config";
import { messageOf, PASSWORD_KEY, raw, server } from "./config-fixtures";

const WEBHOOK_KEY = "orgstack:alertWebhookUrl";
const WEBHOOK = "https://hooks.example.test/services/T000/B000/s3cr3t-token";
const heading = "Invalid configuration for stack 'pr-7' (stacks/Pulumi.pr-7.yaml):";
const base = { environment: "ephemeral", database: server, databasePassword: "pw" };

describe("orgstack:alertWebhookUrl", () => {
  it("takes a secret http(s) URL", () => {
    const config = validateStackConfig(
      raw("pr-7", { ...base, alertWebhookUrl: WEBHOOK }, [PASSWORD_KEY, WEBHOOK_KEY]),
    );
    expect(config.monitoring).toEqual({ alertWebhookUrl: WEBHOOK });
  });

  it("is optional", () => {
    expect(validateStackConfig(raw("pr-7", base)).monitoring).toEqual({
      alertWebhookUrl: undefined,
    });
  });

  it("refuses it in plaintext, and a value that is no URL, never showing the value", () => {
    expect(messageOf(raw("pr-7", { ...base, alertWebhookUrl: WEBHOOK }))).toBe(
      `${heading}\n  - '${WEBHOOK_KEY}' holds a credential in plaintext. Set it with: pulumi config set --secret ${WEBHOOK_KEY} <value> --stack pr-7`,
    );
    const notUrl = messageOf(
      raw("pr-7", { ...base, alertWebhookUrl: "hooks/s3cr3t-token" }, [PASSWORD_KEY, WEBHOOK_KEY]),
    );
    expect(notUrl).toBe(
      `${heading}\n  - '${WEBHOOK_KEY}' is not an http(s) URL (value hidden: it is a secret). Set the webhook's URL, such as a Slack incoming webhook.`,
    );
    expect(notUrl).not.toContain("s3cr3t");
  });
});
