import { EnvSchema, type Env, SECRET_VARIABLES } from './env.schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once. Every bad variable is reported together, each with what was expected.
 * Secret values are never echoed (only their names).
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (result.success) {
    const env = result.data;
    if (env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_KEEP_ALIVE_TIMEOUT_MS) {
      throw new ConfigError([
        `HTTP_HEADERS_TIMEOUT_MS: must be greater than HTTP_KEEP_ALIVE_TIMEOUT_MS (${env.HTTP_KEEP_ALIVE_TIMEOUT_MS})`,
      ]);
    }
    if (env.DEFAULT_MAX_DURATION_MINUTES > env.MAX_CALL_DURATION_MINUTES) {
      throw new ConfigError([
        `DEFAULT_MAX_DURATION_MINUTES: must not exceed MAX_CALL_DURATION_MINUTES (${env.MAX_CALL_DURATION_MINUTES})`,
      ]);
    }
    return env;
  }
  const secret = new Set<string>(SECRET_VARIABLES);
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const raw = source[name];
    const shown = raw === undefined || secret.has(name) ? '' : ` (got ${JSON.stringify(raw.slice(0, 60))})`;
    return `${name}: ${issue.message}${shown}`;
  });
  throw new ConfigError(problems);
}
