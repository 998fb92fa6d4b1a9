import { paginateGetParametersByPath, SSMClient } from '@aws-sdk/client-ssm';

/** Where the Lambda's settings and secrets come from (SSM in AWS; tests fake the SSM client). */
export interface ParameterSource {
  /** Every parameter under `path` as NAME → value. */
  load(path: string): Promise<Record<string, string>>;
}

const VARIABLE_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * SSM Parameter Store, read the way the instances' boot script (packer render-environment) reads it: every
 * parameter under the path, recursively, SecureStrings decrypted; `<path>/DATABASE_URL` becomes DATABASE_URL.
 * A name that is not an environment variable name, or an empty path, is an error rather than a silent gap.
 */
export class SsmParameterSource implements ParameterSource {
  constructor(private readonly client: SSMClient = new SSMClient({})) {}

  async load(path: string): Promise<Record<string, string>> {
    const prefix = `${path.replace(/\/+$/, '')}/`;
    const values: Record<string, string> = {};
    const pages = paginateGetParametersByPath(
      { client: this.client },
      { Path: path, Recursive: true, WithDecryption: true },
    );
    for await (const page of pages) {
      for (const parameter of page.Parameters ?? []) {
        const name = parameter.Name ?? '';
        const key = name.startsWith(prefix) ? name.slice(prefix.length) : '';
        if (!VARIABLE_NAME.test(key))
          throw new Error(`parameter ${name} is not an environment variable name`);
        values[key] = parameter.Value ?? '';
      }
    }
    if (Object.keys(values).length === 0) throw new Error(`no parameters under ${prefix}`);
    return values;
  }
}

/**
 * The environment the Lambda's config is parsed from. With APP_PARAMETER_PATH (in AWS) the settings come from SSM
 * and the function's own variables (APP_VERSION, GIT_SHA, NODE_ENV) take precedence over them; without it (local
 * runs, tests) the plain environment is used as it is.
 */
export async function resolveEnvironment(
  env: NodeJS.ProcessEnv,
  parameters: () => ParameterSource,
): Promise<NodeJS.ProcessEnv> {
  const path = env.APP_PARAMETER_PATH?.trim();
  if (!path) return env;
  return { ...(await parameters().load(path)), ...env };
}
