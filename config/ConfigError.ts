import { AgentError } from '../core/AgentError.js';

/** Where a config value came from. */
export type ConfigSource = 'file' | 'env' | 'override' | 'default';

/** Parameters of {@link ConfigError}. */
export type ConfigErrorParameters = {
  /** Dotted path of the option, e.g. `chain.rpcUrl`. */
  option: string;
  /** What was given; omitted when the option is missing. */
  value?: unknown;
  /** True when nothing was given. */
  missing?: boolean;
  /** True when the option does not exist (a typo). */
  unknown?: boolean;
  /** Replaces the default fix hint. */
  fix?: string | undefined;
  /** What a good value looks like. */
  expected: string;
  /** Why it is needed, e.g. `required on network base-sepolia`. */
  context?: string | undefined;
  /** The environment variable that sets it, when there is one. */
  envVariable?: string | undefined;
  /** Where the bad value came from. */
  source?: ConfigSource | undefined;
  /** Config file that was read, for the fix hint. */
  file?: string | undefined;
  /** Never print the value (keys, API tokens). */
  secret?: boolean | undefined;
  /** False when the option can only come from the environment (keys). */
  fileAllowed?: boolean | undefined;
  /** Underlying error. */
  cause?: unknown;
};

/**
 * A config option is missing or wrong. The message names the option, the value, what is expected
 * and how to fix it (the key in `y2c.config.json` and the `Y2C_*` environment variable).
 *
 * @example
 * throw new ConfigError({ option: 'chain.rpcUrl', missing: true, expected: 'an http(s) URL', envVariable: 'Y2C_RPC_URL' })
 */
export class ConfigError extends AgentError {
  override name = 'ConfigError' as const;
  /** Dotted path of the option. */
  readonly option: string;
  /** The environment variable that sets it, if any. */
  readonly envVariable: string | undefined;

  constructor(parameters: ConfigErrorParameters) {
    const { option, envVariable, source, secret } = parameters;
    const shown = secret ? '(hidden)' : showValue(parameters.value);
    const from =
      source === 'env' && envVariable ? ` (from ${envVariable})` : source === 'override' ? ' (from the command line)' : source === 'file' && parameters.file ? ` (from ${parameters.file})` : '';
    const shortMessage = parameters.unknown
      ? `Unknown config option "${option}"${from}.`
      : parameters.missing
      ? `Missing config option "${option}"${parameters.context ? ` (${parameters.context})` : ''}.`
      : `Invalid config option "${option}": got ${shown}${from}${parameters.context ? ` (${parameters.context})` : ''}.`;
    const fixes: string[] = parameters.fix ? [parameters.fix] : [];
    if (!parameters.fix && parameters.fileAllowed !== false) fixes.push(`set "${option}" in ${parameters.file ?? 'y2c.config.json'}`);
    if (!parameters.fix && envVariable) fixes.push(`set the environment variable ${envVariable}`);
    super(shortMessage, {
      details: [`Expected: ${parameters.expected}.`, fixes.length ? `Fix: ${fixes.join(', or ')}.` : ''].filter(Boolean).join('\n'),
      docsPath: '#configuration',
      cause: parameters.cause,
    });
    this.option = option;
    this.envVariable = envVariable;
  }
}

function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return `${value}`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
