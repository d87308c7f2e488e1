/**
 * Replaces every occurrence of the given secrets (API keys, tokens) in `text`. Applied to everything this
 * package puts into errors or logs, because servers and proxies sometimes echo request headers back.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
