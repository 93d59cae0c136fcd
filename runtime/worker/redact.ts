/**
 * Secrets that must never reach ops.jobs.last_error or a log line: the webhook URL (its path is
 * the credential) and the database password. Deno's fetch errors quote the URL they failed on,
 * so every message leaving the worker passes through here.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of getSecretForms(secrets)) result = result.split(secret).join("[redacted]");
  return result;
}

/** A secret as written, plus the forms a URL takes when printed (normalized, without the slash). */
function getSecretForms(secrets: readonly (string | undefined)[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    forms.add(secret);
    if (URL.canParse(secret)) {
      const url = new URL(secret);
      forms.add(url.toString());
      forms.add(url.toString().replace(/\/$/, ""));
      if (url.password) forms.add(decodeURIComponent(url.password)).add(url.password);
      if (url.pathname.length > 1) forms.add(url.pathname + url.search);
    }
  }
  // Longest first, so a URL is replaced whole before its path alone would be.
  return [...forms].filter((form) => form.length >= 4).sort((a, b) => b.length - a.length);
}
