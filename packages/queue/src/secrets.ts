import { InvalidArgumentError } from '@hoi/core';

/** Environment variable names that hold secrets (tokens, API keys, passwords). */
export const SECRET_ENV_NAME = /(TOKEN|API_?KEY|SECRET|PASSWORD|PASSWD|CREDENTIAL)/i;

/**
 * Refuses to store a run configuration that contains the value of a secret environment variable
 * (e.g. HF_TOKEN, OPENAI_API_KEY) anywhere in it. Run configurations are stored in Redis in clear
 * text and read by every worker; secrets must stay in each machine's own environment, where the
 * workers' pipelines read them. Values shorter than 8 characters are ignored (too likely to match by
 * chance). The error names the variable, never its value.
 */
export function assertNoSecrets(serializedConfig: string, env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 8 || !SECRET_ENV_NAME.test(name)) continue;
    if (serializedConfig.includes(value)) {
      throw new InvalidArgumentError(
        'config',
        `a run configuration without secrets (it holds the value of $${name}; workers read secrets from their own environment, so leave it out of flags and files)`,
      );
    }
  }
}
