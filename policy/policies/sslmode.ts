import type {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";
import { isLocalHost, TYPES } from "../lib/resources";

/** libpq modes that refuse an unencrypted connection. */
const ENCRYPTED_MODES = ["require", "verify-ca", "verify-full"];

/**
 * Resources that connect with their own settings. SqlObjects carry the same admin connection as
 * the Migrations resource (Schema passes one to all), so checking them too would only repeat it.
 */
const CONNECTION_INPUT_TYPES: readonly string[] = [TYPES.migrations, TYPES.platformRoles];

function checkConnection(
  where: string,
  settings: Record<string, unknown>,
  report: ReportViolation,
): void {
  // libpq's default is 'prefer', which falls back to plain text.
  const sslmode = settings["sslmode"] ?? "prefer";
  if (ENCRYPTED_MODES.includes(String(sslmode))) return;
  // Read only when needed: a container's host is unknown during preview.
  const host = String(settings["host"]);
  if (isLocalHost(host)) return;
  report(
    `${where} connects to '${host}' with sslmode '${String(sslmode)}'. Outside this machine ` +
      `use 'require' or stricter (${ENCRYPTED_MODES.join(", ")}): set 'orgstack:database.sslmode'.`,
  );
}

export function validateSslmode(args: ResourceValidationArgs, report: ReportViolation): void {
  if (args.type === TYPES.provider) {
    checkConnection(`Provider '${args.name}'`, args.props, report);
  } else if (CONNECTION_INPUT_TYPES.includes(args.type)) {
    const connection = args.props["connection"] as Record<string, unknown>;
    checkConnection(`'${args.name}' ('connection')`, connection, report);
  }
}

export const sslmodeOutsideLocal: ResourceValidationPolicy = {
  name: "sslmode-outside-local",
  description: "Connections to a server off this machine use sslmode require or stricter.",
  enforcementLevel: "mandatory",
  validateResource: validateSslmode,
};
