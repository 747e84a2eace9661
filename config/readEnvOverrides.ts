import { configEnvironment } from './configEnvironment.js';

/** Parameters of {@link readEnvOverrides}: an environment (never read from `process.env` here). */
export type ReadEnvOverridesParameters = Readonly<Record<string, string | undefined>>;

/** A partial config object built from the `Y2C_*` variables that are set (and not empty). */
export type ReadEnvOverridesReturnType = Record<string, unknown>;

/**
 * Turns `Y2C_*` variables into a partial config object, ready to be merged over the file.
 * Numbers and booleans are converted when they look right; anything else is passed as text, so
 * validation reports it against the option.
 *
 * @param env Environment variables.
 * @returns Nested partial config.
 * @example
 * readEnvOverrides({ Y2C_RPC_URL: 'http://127.0.0.1:8545' }) // { chain: { rpcUrl: 'http://127.0.0.1:8545' } }
 */
export function readEnvOverrides(env: ReadEnvOverridesParameters): ReadEnvOverridesReturnType {
  const result: Record<string, unknown> = {};
  for (const variable of configEnvironment) {
    const raw = env[variable.name];
    if (raw === undefined || raw.trim() === '') continue;
    const text = raw.trim();
    let value: unknown = text;
    if (variable.kind === 'number' && /^-?\d+(?:\.\d+)?$/.test(text)) value = Number(text);
    if (variable.kind === 'boolean' && /^(true|1|yes)$/i.test(text)) value = true;
    if (variable.kind === 'boolean' && /^(false|0|no)$/i.test(text)) value = false;
    if (variable.kind === 'list') value = text.split(',').map((item) => item.trim()).filter(Boolean);
    const keys = variable.option.split('.');
    let node = result;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1] as string] = value;
  }
  return result;
}
