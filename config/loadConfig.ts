import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import { AmountError } from './AmountError.js';
import { configEnvironment, configFileVariable } from './configEnvironment.js';
import { ConfigError, type ConfigSource } from './ConfigError.js';
import { configSchema, type ConfigFile, type ParsedConfig } from './configSchema.js';
import { checkPresetAddresses } from './checkPresetAddresses.js';
import { networkPresets } from './networkPresets.js';
import { parseAmount } from './parseAmount.js';
import { readEnvOverrides } from './readEnvOverrides.js';
import type { Config, Deployment } from './types.js';

/** Parameters of {@link loadConfig}. */
export type LoadConfigParameters = {
  /** Working directory; relative paths resolve against it. Default: `process.cwd()`. */
  cwd?: string;
  /** Environment; default `process.env`. Pass `{}` in tests. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Config file; default `$Y2C_CONFIG`, else `y2c.config.json` in cwd when it exists. */
  file?: string;
  /** Values that win over file and environment (command-line flags). */
  overrides?: DeepPartial<ConfigFile>;
};

/** The validated, normalised configuration. */
export type LoadConfigReturnType = Config;

/** Errors {@link loadConfig} throws. */
export type LoadConfigErrorType = ConfigError;

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

type Layers = { file: Record<string, unknown>; env: Record<string, unknown>; override: Record<string, unknown>; fileName: string | undefined };

/**
 * Reads `y2c.config.json`, applies `Y2C_*` environment overrides and explicit overrides, validates
 * everything and returns a normalised config. The only place in y2c that reads `process.env`.
 *
 * @param parameters Where to look, and what wins.
 * @returns The config: absolute paths, bigint amounts, the network preset resolved.
 * @throws {ConfigError} Naming the option, the bad value, what is expected and how to fix it.
 * @example
 * const config = loadConfig({ overrides: { network: 'local' } })
 * config.agent.caps.dailyComputeBudget // 10_000_000n
 */
export function loadConfig(parameters: LoadConfigParameters = {}): LoadConfigReturnType {
  const cwd = parameters.cwd ?? process.cwd();
  const env = parameters.env ?? process.env;
  const explicit = parameters.file ?? env[configFileVariable];
  const filePath = explicit ? resolve(cwd, explicit) : resolve(cwd, 'y2c.config.json');
  const fileName = explicit ? explicit : 'y2c.config.json';
  let file: Record<string, unknown> = {};
  if (existsSync(filePath)) file = readConfigFile(filePath, fileName);
  else if (explicit)
    throw new ConfigError({
      option: 'file',
      value: explicit,
      context: `no such file: ${filePath}`,
      expected: 'the path of an existing y2c.config.json',
      envVariable: configFileVariable,
      fileAllowed: false,
    });

  for (const variable of configEnvironment)
    if (variable.envOnly && getAt(file, variable.option) !== undefined)
      throw new ConfigError({
        option: variable.option,
        value: getAt(file, variable.option),
        secret: true,
        source: 'file',
        file: fileName,
        context: 'keys must not be written in the config file',
        expected: `the key in the environment variable ${variable.name}, and the entry removed from ${fileName}`,
        envVariable: variable.name,
        fileAllowed: false,
      });

  const layers: Layers = {
    file,
    env: readEnvOverrides(env),
    override: (parameters.overrides ?? {}) as Record<string, unknown>,
    fileName: existsSync(filePath) ? fileName : undefined,
  };
  const merged = deepMerge(deepMerge(layers.file, layers.env), layers.override);
  const result = configSchema.safeParse(merged);
  if (!result.success) throw issueToError(result.error.issues[0] as z.core.$ZodIssue, merged, layers);
  return normalise(result.data, { cwd, filePath: layers.fileName ? filePath : undefined, layers });
}

function readConfigFile(path: string, name: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ConfigError({
      option: 'file',
      value: name,
      context: `not valid JSON: ${(cause as Error).message}`,
      expected: 'a JSON object of options',
      envVariable: configFileVariable,
      fileAllowed: false,
      cause,
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError({ option: 'file', value: name, context: 'the file is not a JSON object', expected: 'a JSON object of options', fileAllowed: false });
  return parsed as Record<string, unknown>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function getAt(object: unknown, path: string): unknown {
  let node = object;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function sourceOf(option: string, layers: Layers): ConfigSource {
  if (getAt(layers.override, option) !== undefined) return 'override';
  if (getAt(layers.env, option) !== undefined) return 'env';
  if (getAt(layers.file, option) !== undefined) return 'file';
  return 'default';
}

function envFor(option: string) {
  return configEnvironment.find((variable) => variable.option === option);
}

/** Walks the schema down a path (through defaults, optionals and pipes): the schema found and its first description. */
function optionSchema(path: readonly PropertyKey[]): { schema: z.core.$ZodType | undefined; description: string | undefined } {
  let schema: z.core.$ZodType | undefined = configSchema;
  let description: string | undefined;
  const unwrap = () => {
    for (let guard = 0; schema && guard < 10; guard++) {
      description = (schema as { description?: string }).description ?? description;
      const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
      if (['default', 'prefault', 'optional', 'nullable', 'readonly'].includes(def.type)) schema = def.innerType as z.core.$ZodType;
      else if (def.type === 'pipe') schema = def.in as z.core.$ZodType;
      else return;
    }
  };
  for (const key of path) {
    description = undefined;
    unwrap();
    const def = schema?._zod.def as unknown as (Record<string, unknown> & { type: string }) | undefined;
    if (def?.type === 'object') schema = (def.shape as Record<string, z.core.$ZodType>)[String(key)];
    else if (def?.type === 'array') schema = def.element as z.core.$ZodType;
    else if (def?.type === 'record') schema = def.valueType as z.core.$ZodType;
    else return { schema: undefined, description: undefined };
  }
  description = undefined;
  unwrap();
  return { schema, description };
}

/** The known key closest to a misspelt one (edit distance ≤ 3, case-insensitive). */
function closest(key: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0] as number;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j] as number;
        row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length] as number;
  };
  const ranked = known.map((candidate) => ({ candidate, d: distance(key.toLowerCase(), candidate.toLowerCase()) })).sort((x, y) => x.d - y.d);
  return ranked[0] && ranked[0].d <= 3 ? ranked[0].candidate : undefined;
}

function expectedFrom(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.startsWith('expected') ? issue.message.replace(/^expected /, '') : `a ${issue.expected}`;
    case 'invalid_value':
      return issue.message.startsWith('expected') ? issue.message.replace(/^expected /, '') : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `at least ${issue.minimum} item(s)` : issue.origin === 'string' ? 'a non-empty value' : `a number ≥ ${issue.minimum}`;
    case 'too_big':
      return `a number ≤ ${issue.maximum}`;
    default:
      return issue.message.replace(/^expected /, '');
  }
}

function issueToError(issue: z.core.$ZodIssue, merged: Record<string, unknown>, layers: Layers): ConfigError {
  const base = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const option = [base, key].filter(Boolean).join('.');
    const def = optionSchema(issue.path).schema?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
    const known = def?.type === 'object' && def.shape ? Object.keys(def.shape).filter((name) => name !== '$schema') : [];
    const suggestion = closest(key, known);
    return new ConfigError({
      option,
      value: getAt(merged, option),
      source: sourceOf(option, layers),
      file: layers.fileName,
      unknown: true,
      fix: `rename or remove "${option}"${sourceOf(option, layers) === 'file' ? ` in ${layers.fileName}` : ''}`,
      expected: suggestion
        ? `"${[base, suggestion].filter(Boolean).join('.')}"? Keys are case-sensitive; known keys${base ? ` of "${base}"` : ''}: ${known.join(', ')}`
        : `one of the known keys${base ? ` of "${base}"` : ''}: ${known.join(', ')}`,
      fileAllowed: true,
    });
  }
  const option = base || '(root)';
  const variable = envFor(option) ?? (issue.path.length > 1 && typeof issue.path.at(-1) === 'number' ? envFor(issue.path.slice(0, -1).join('.')) : undefined);
  const value = getAt(merged, option);
  const { description } = optionSchema(issue.path);
  return new ConfigError({
    option,
    value,
    missing: value === undefined,
    source: sourceOf(option, layers),
    file: layers.fileName,
    expected: `${expectedFrom(issue)}${description ? ` (${description.replace(/\.$/, '')})` : ''}`,
    envVariable: variable?.name,
    secret: variable?.secret,
    fileAllowed: !variable?.envOnly,
  });
}

type NormaliseContext = { cwd: string; filePath: string | undefined; layers: Layers };

function normalise(parsed: ParsedConfig, context: NormaliseContext): Config {
  const { cwd, layers } = context;
  const preset = networkPresets[parsed.network];
  checkPresetAddresses(parsed.network, preset);
  const decimals = parsed.chain.tokenDecimals;
  const fail = (option: string, expected: string, extra: { value?: unknown; missing?: boolean; context?: string; cause?: unknown } = {}) =>
    new ConfigError({
      option,
      expected,
      envVariable: envFor(option)?.name,
      secret: envFor(option)?.secret,
      source: sourceOf(option, layers),
      file: layers.fileName,
      ...extra,
    });
  const amount = (option: string, units = decimals): bigint => {
    const value = getAt(parsed, option) as string;
    try {
      return parseAmount(value, units);
    } catch (cause) {
      if (!(cause instanceof AmountError)) throw cause;
      throw fail(option, `a non-negative decimal string with at most ${units} decimals, such as "0.5" (${cause.problem})`, { value, cause });
    }
  };

  const onRealNetwork = `required on network ${parsed.network}`;
  if (!preset.devnet && !parsed.chain.rpcUrl) throw fail('chain.rpcUrl', 'the http(s) JSON-RPC URL of the network', { missing: true, context: onRealNetwork });
  if (!preset.devnet && parsed.chain.transport === 'userop' && !parsed.chain.bundlerUrl)
    throw fail('chain.bundlerUrl', 'the http(s) URL of an ERC-4337 bundler (or set chain.transport to "direct")', {
      missing: true,
      context: `${onRealNetwork} with transport "userop"`,
    });

  let deployment: Deployment | undefined;
  const given = parsed.chain.deployment;
  const required = ['agentNft', 'accountImplementation', 'vault', 'market', 'paymentToken'] as const;
  // Optional on every network: `y2c deploy` writes the deployment it made to dataDir/deployment.json,
  // which the commands read; a deployment given here must be complete.
  if (given) {
    const need = (key: (typeof required)[number]) => {
      const value = given?.[key];
      if (!value)
        throw fail(`chain.deployment.${key}`, 'the address of the deployed contract', {
          missing: true,
          context: 'a partial deployment was given',
        });
      return value;
    };
    deployment = {
      agentNft: need('agentNft'),
      accountImplementation: need('accountImplementation'),
      vault: need('vault'),
      market: need('market'),
      paymentToken: need('paymentToken'),
      yieldSource: given?.yieldSource,
    };
  }

  const upstreamUrl = parsed.provider.upstream.url;
  const backend = parsed.provider.backend ?? (upstreamUrl ? 'openai' : 'llama');
  if (backend === 'openai' && !upstreamUrl)
    throw fail('provider.upstream.url', 'the base URL of an OpenAI-compatible API (or set provider.backend to "llama")', {
      missing: true,
      context: 'required with provider.backend "openai"',
    });

  const pass = parsed.agent.pass;
  if (pass.kind === 'erc721' && !pass.token)
    throw fail('agent.pass.token', 'the address of the ERC-721 whose holders may chat', { missing: true, context: 'required with agent.pass.kind "erc721"' });

  const treasury = parsed.agent.treasury;
  const sessionGasFloor = amount('agent.treasury.sessionGasFloor', 18);
  const sessionGasTarget = amount('agent.treasury.sessionGasTarget', 18);
  if (sessionGasTarget < sessionGasFloor)
    throw fail('agent.treasury.sessionGasTarget', `at least agent.treasury.sessionGasFloor (${treasury.sessionGasFloor} ETH)`, {
      value: treasury.sessionGasTarget,
    });

  const modelPath = parsed.provider.llama.modelPath;
  return {
    network: parsed.network,
    dataDir: resolve(cwd, parsed.dataDir),
    configFile: context.filePath,
    logLevel: parsed.logLevel,
    chain: {
      id: preset.chainId,
      name: preset.name,
      devnet: preset.devnet,
      rpcUrl: parsed.chain.rpcUrl,
      bundlerUrl: parsed.chain.bundlerUrl,
      transport: parsed.chain.transport,
      erc6551Registry: parsed.chain.erc6551Registry ?? preset.erc6551Registry,
      entryPoint: parsed.chain.entryPoint ?? preset.entryPoint,
      erc8004: 'erc8004' in preset ? preset.erc8004 : undefined,
      assets: 'assets' in preset ? preset.assets : undefined,
      deployment,
      token: { symbol: parsed.chain.tokenSymbol, decimals },
      ethPriceInToken: amount('chain.ethPriceInToken'),
    },
    devnet: {
      anvilPort: parsed.devnet.anvilPort,
      bundlerPort: parsed.devnet.bundlerPort,
      aprBps: parsed.devnet.aprBps,
      lockPeriodSeconds: parsed.devnet.lockPeriodSeconds,
      demoStakers: parsed.devnet.demoStakers,
      warpAllowed: preset.devnet && parsed.devnet.warpAllowed,
    },
    provider: {
      port: parsed.provider.port,
      host: parsed.provider.host,
      backend,
      upstream: {
        url: upstreamUrl,
        apiKey: parsed.provider.upstream.apiKey,
        modelMap: parsed.provider.upstream.modelMap,
        contextLength: parsed.provider.upstream.contextLength,
        tools: parsed.provider.upstream.tools,
      },
      llama: {
        modelPath: modelPath === undefined ? undefined : isAbsolute(modelPath) ? modelPath : resolve(cwd, modelPath),
        threads: parsed.provider.llama.threads,
        contextSize: parsed.provider.llama.contextSize,
      },
      priceInPerMTok: amount('provider.priceInPerMTok'),
      priceOutPerMTok: amount('provider.priceOutPerMTok'),
      models: parsed.provider.models,
      settleIntervalSeconds: parsed.provider.settleIntervalSeconds,
      maxBodyBytes: parsed.provider.maxBodyBytes,
      x402: {
        enabled: parsed.provider.x402.enabled,
        facilitatorUrl: parsed.provider.x402.facilitatorUrl,
        withdrawDelaySeconds: parsed.provider.x402.withdrawDelaySeconds,
        tokenName: parsed.provider.x402.tokenName,
        tokenVersion: parsed.provider.x402.tokenVersion,
      },
      store: parsed.provider.store,
      publicUrl: parsed.provider.publicUrl,
      bond: amount('provider.bond'),
    },
    agent: {
      chat: { port: parsed.agent.chat.port, host: parsed.agent.chat.host },
      constitution: parsed.agent.constitution,
      model: parsed.agent.model,
      caps: {
        perRequestCap: amount('agent.caps.perRequestCap'),
        dailyCap: amount('agent.caps.dailyCap'),
        dailyComputeBudget: amount('agent.caps.dailyComputeBudget'),
      },
      trustedProviders: [...new Set(parsed.agent.trustedProviders)],
      reputationClients: [...new Set(parsed.agent.reputationClients)],
      x402: {
        sellers: [...new Set(parsed.agent.x402.sellers)],
        services: parsed.agent.x402.services.map((service, index) => ({
          name: service.name ?? new URL(service.url).host,
          url: service.url,
          maxPrice: amount(`agent.x402.services.${index}.maxPrice`),
        })),
      },
      minProviderBond: amount('agent.minProviderBond'),
      runwayTargetHours: parsed.agent.runwayTargetHours,
      treasury: {
        minHarvest: amount('agent.treasury.minHarvest'),
        harvestGasMultiple: treasury.harvestGasMultiple,
        reserve: amount('agent.treasury.reserve'),
        minDeposit: amount('agent.treasury.minDeposit'),
        idleCloseHours: treasury.idleCloseHours,
        criticalRunwayHours: treasury.criticalRunwayHours,
        sessionGasFloor,
        sessionGasTarget,
        minProviderSuccessRate: treasury.minProviderSuccessRate,
        maxProviderLatencyMs: treasury.maxProviderLatencyMs,
      },
      schedules: { ...parsed.agent.schedules },
      pass: pass.kind === 'erc721' ? { kind: 'erc721', token: pass.token as NonNullable<typeof pass.token> } : { kind: 'stake', minStake: amount('agent.pass.minStake') },
      telegram: { ...parsed.agent.telegram, apiRoot: parsed.agent.telegram.apiRoot.replace(/\/+$/, '') },
    },
    governance: { owner: parsed.governance.owner, guardian: parsed.governance.guardian, proposalsPerWeek: parsed.governance.proposalsPerWeek },
    keys: { owner: parsed.keys.owner, staker: parsed.keys.staker, provider: parsed.keys.provider },
  };
}
