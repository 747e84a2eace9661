import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { createWalletClient, http, parseAbi, publicActions, type Account, type Address, type Chain, type Hex, type Transport, type WalletClient } from 'viem';
import { AgentError } from '../../core/AgentError.js';
import { ConfigError } from '../../config/ConfigError.js';
import type { Config } from '../../config/types.js';
import type { Backend } from '../../provider/backends/Backend.js';
import { createLlamaBackend } from '../../provider/backends/createLlamaBackend.js';
import { createOpenAiBackend } from '../../provider/backends/createOpenAiBackend.js';
import { assertEntryNotLive } from '../../provider/register/assertEntryNotLive.js';
import { deregisterProvider } from '../../provider/register/deregisterProvider.js';
import { registerProviderIdentity } from '../../provider/register/registerProviderIdentity.js';
import { ensureBond } from '../../provider/register/ensureBond.js';
import { ensureRegistration } from '../../provider/register/ensureRegistration.js';
import { registerProvider } from '../../provider/register/registerProvider.js';
import { updateProvider } from '../../provider/register/updateProvider.js';
import { startProvider, type StartProviderReturnType } from '../../provider/startProvider.js';
import type { X402SellerOptions } from '../../provider/x402/createX402Seller.js';
import { X402TokenDomainError } from '../../provider/x402/X402TokenDomainError.js';
import { isPostgresUrl } from '../../provider/store/isPostgresUrl.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { connect, type Connection } from '../connect.js';
import { createLifecycle } from '../../core/createLifecycle.js';
import { runUntilSignal } from '../runUntilSignal.js';
import { roleAccount } from '../roleAccount.js';
import { providerPaths } from '../../protocol/providerPaths.js';

type Helpers = { config: () => Config; print: (json: boolean | undefined, value: unknown, text: string) => void };

/** Where `y2c up` looks for a local model when none is configured (the first that exists). */
const defaultModelPaths = [
  '.y2c/models/model.gguf',
  '../shared/models/stories260K.gguf',
  // Beside the checkout, whatever the working directory.
  fileURLToPath(new URL('../../../shared/models/stories260K.gguf', import.meta.url)),
];

/**
 * The provider's backend from config: the OpenAI-compatible upstream when one is configured,
 * else a local GGUF model through node-llama-cpp.
 *
 * @param config Loaded config.
 * @returns The backend, or throws with what to configure.
 */
export async function providerBackend(config: Config): Promise<Backend> {
  const { upstream, llama, models } = config.provider;
  if (config.provider.backend === 'openai') {
    if (!upstream.url) throw new AgentError('The openai backend needs provider.upstream.url.', { details: 'Set it in y2c.config.json or Y2C_PROVIDER_UPSTREAM_URL.' });
    const modelMap = Object.keys(upstream.modelMap).length ? upstream.modelMap : Object.fromEntries(models.map((m) => [m, m]));
    return createOpenAiBackend({
      baseUrl: upstream.url,
      models: modelMap,
      modelInfo: { contextLength: upstream.contextLength, tools: upstream.tools },
      ...(upstream.apiKey ? { apiKey: upstream.apiKey } : {}),
    });
  }
  const modelPath = llama.modelPath ?? defaultModelPaths.map((p) => resolve(p)).find((p) => existsSync(p));
  if (!modelPath || !existsSync(modelPath)) {
    throw new AgentError('No model to serve.', {
      details: 'Set provider.upstream.url (any OpenAI-compatible API) or provider.llama.modelPath (a GGUF file).',
      docsPath: '#provider-backends',
    });
  }
  // The tiny test model was trained on 512-token stories (its GGUF says 2048); any other model gets its configured context.
  const tiny = basename(modelPath) === 'stories260K.gguf';
  return createLlamaBackend({ modelPath, model: models[0] ?? 'local', threads: llama.threads, contextSize: tiny ? Math.min(llama.contextSize, 512) : llama.contextSize });
}

/** The provider's wallet: Y2C_PROVIDER_KEY on a real network, the provider dev account locally. */
function providerWallet(config: Config, connection: Pick<Connection, 'chain' | 'rpcUrl'>): WalletClient<Transport, Chain, Account> {
  const account = roleAccount(config, 'provider');
  return createWalletClient({ account, chain: connection.chain, transport: http(connection.rpcUrl), pollingInterval: config.network === 'local' ? 100 : 2_000 });
}

/** The provider's private key when the config holds one (Y2C_PROVIDER_KEY, or the local dev account), for native receipt signing. */
function receiptKey(config: Config): Hex | undefined {
  if (config.keys.provider) return config.keys.provider;
  return config.network === 'local' ? devAccount(devRoles.provider).privateKey : undefined;
}

/** The provider's x402 settings: the payment token and its EIP-712 domain (config, else ERC-5267 on the token). */
async function x402Options(config: Config, client: WalletClient<Transport, Chain, Account>, token: Address): Promise<X402SellerOptions> {
  const { tokenName, tokenVersion, facilitatorUrl, withdrawDelaySeconds } = config.provider.x402;
  let name = tokenName;
  let version = tokenVersion;
  if (!name || !version) {
    const [, domainName, domainVersion] = await client
      .extend(publicActions)
      .readContract({ address: token, abi: eip5267Abi, functionName: 'eip712Domain' })
      .catch((error: unknown) => {
        throw new X402TokenDomainError(`The payment token ${token} does not report its EIP-712 domain (ERC-5267).`, {
          details: 'Set provider.x402.tokenName and provider.x402.tokenVersion (USDC: "USD Coin" and "2"), or provider.x402.enabled: false.',
          cause: error,
        });
      });
    name ??= domainName;
    version ??= domainVersion;
  }
  return {
    token,
    tokenName: name,
    tokenVersion: version,
    storageDir: join(config.dataDir, 'x402'),
    withdrawDelay: withdrawDelaySeconds,
    claimIntervalSecs: config.provider.settleIntervalSeconds,
    ...(facilitatorUrl ? { facilitatorUrl } : {}),
  };
}

const eip5267Abi = parseAbi([
  'function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)',
]);

/** Parameters of {@link startProviderNode}. */
export type StartProviderNodeParameters = { connection: Pick<Connection, 'chain' | 'rpcUrl' | 'deployment'>; backend?: Backend };

/**
 * Starts the provider node from config and registers (or re-registers) it in the market with its
 * URL, prices and models. Used by `y2c provider start` and `y2c up`.
 *
 * @param config Loaded config.
 * @param parameters The chain and, optionally, a backend already made.
 * @returns The running node.
 */
export async function startProviderNode(config: Config, parameters: StartProviderNodeParameters): Promise<StartProviderReturnType> {
  const { connection } = parameters;
  const client = providerWallet(config, connection);
  const store = config.provider.store ?? join(config.dataDir, 'provider.db');
  // A fleet shares one key and one ledger on purpose: its frontends sit behind one registered endpoint.
  const fleet = isPostgresUrl(store);
  const publicUrl = config.provider.publicUrl?.replace(/\/+$/, '');
  if (fleet && !publicUrl) {
    throw new ConfigError({
      option: 'provider.publicUrl',
      missing: true,
      context: 'a postgres:// store is a fleet, and every frontend of a fleet registers the same public URL',
      expected: 'the http(s) URL in front of the frontends, with /v1 (e.g. a load balancer)',
      envVariable: 'Y2C_PROVIDER_PUBLIC_URL',
    });
  }
  // Before loading a model or binding a port: a second node with the same key must not take the entry over.
  if (!fleet) await assertEntryNotLive(client, { market: connection.deployment.computeMarket, provider: client.account.address });
  const backend = parameters.backend ?? (await providerBackend(config));
  const node = await startProvider({
    client,
    market: connection.deployment.computeMarket,
    backend,
    priceInPerMTok: config.provider.priceInPerMTok,
    priceOutPerMTok: config.provider.priceOutPerMTok,
    maxBodyBytes: config.provider.maxBodyBytes,
    databasePath: store,
    host: config.provider.host,
    port: config.provider.port,
    portOption: 'provider.port',
    settleIntervalMs: config.provider.settleIntervalSeconds * 1000,
    // Receipts signed natively with the same key (the configured one, or the local dev provider's).
    ...(receiptKey(config) ? { receiptKey: receiptKey(config)! } : {}),
    pollingIntervalMs: config.network === 'local' ? 100 : 2_000,
    ...(config.provider.x402.enabled ? { x402: await x402Options(config, client, connection.deployment.usdx) } : {}),
  }).catch(async (error: unknown) => {
    if (!parameters.backend) await backend.close().catch(() => undefined);
    throw error;
  });
  try {
    // Every frontend of a fleet registers the same public URL and terms: one already registered leaves it as is.
    const endpoint = publicUrl ?? node.url;
    await ensureRegistration(client, {
      market: connection.deployment.computeMarket,
      endpoint,
      priceInPerMTok: config.provider.priceInPerMTok,
      priceOutPerMTok: config.provider.priceOutPerMTok,
      models: backend.models,
    });
    // A bond before trust: agents fund no channel with a provider bonded below their agent.minProviderBond.
    if (config.provider.bond > 0n) {
      await ensureBond(client, { market: connection.deployment.computeMarket, token: connection.deployment.usdx, amount: config.provider.bond, faucet: config.network === 'local' });
    }
    // ERC-8004: an identity of its own, so the agents buying from it can rate it.
    const erc8004 = connection.deployment.erc8004 ?? config.chain.erc8004;
    if (erc8004) await registerProviderIdentity(client, { identityRegistry: erc8004.identityRegistry, agentURI: `${endpoint.replace(/\/v1\/?$/, '')}${providerPaths.info}` });
  } catch (error) {
    await node.stop({ settle: false }).catch(() => undefined);
    throw error;
  }
  return node;
}

/**
 * `y2c provider start|register|update|deregister`: sell inference for vouchers.
 *
 * @param program The CLI.
 * @param helpers Config loader and printer.
 */
export function registerProviderCommands(program: Command, helpers: Helpers): void {
  const provider = program.command('provider').description('Run a compute provider node paid by vouchers, and manage its registration in the market.');
  provider
    .command('start')
    .description('Serve the OpenAI-compatible API for vouchers and register in the market (Ctrl-C stops it and redeems what is owed).')
    .option('--store <location>', 'the ledger: a postgres:// URL shared by a fleet of frontends, or a SQLite file (default: provider.store, else provider.db in the data directory)')
    .action(async (options: { store?: string }) => {
      const loaded = helpers.config();
      const cfg = options.store ? { ...loaded, provider: { ...loaded.provider, store: options.store } } : loaded;
      const life = createLifecycle();
      await runUntilSignal(life, { name: 'y2c provider start' }, async () => {
        const node = await life.start('provider', () => startProviderNode(cfg, { connection: connect(cfg) }), (started) => started.stop());
        process.stdout.write(`provider ${node.address} serving ${node.url} (ledger: ${node.store.kind})\n`);
      });
    });
  const registration = (name: 'register' | 'update', description: string) =>
    provider
      .command(name)
      .description(description)
      .requiredOption('--endpoint <url>', 'public base URL of the OpenAI-compatible API (with /v1)')
      .option('--json', 'print JSON')
      .action(async (options: { endpoint: string; json?: boolean }) => {
        const cfg = helpers.config();
        let url: URL;
        try {
          url = new URL(options.endpoint);
        } catch {
          throw new AgentError(`--endpoint is not a URL: ${options.endpoint}.`);
        }
        const connection = connect(cfg);
        const client = providerWallet(cfg, connection);
        const call = name === 'register' ? registerProvider : updateProvider;
        const result = await call(client, {
          market: connection.deployment.computeMarket,
          endpoint: url.toString().replace(/\/$/, ''),
          priceInPerMTok: cfg.provider.priceInPerMTok,
          priceOutPerMTok: cfg.provider.priceOutPerMTok,
          models: cfg.provider.models,
        });
        helpers.print(options.json, result, `${name === 'register' ? 'registered' : 'updated'} ${client.account.address} at ${url}`);
      });
  registration('register', 'Register this provider in the market at --endpoint, with the prices and models from config (provider.priceInPerMTok, provider.priceOutPerMTok, provider.models).');
  registration('update', "Point this provider's market entry at --endpoint and set its prices and models from config (provider.priceInPerMTok, provider.priceOutPerMTok, provider.models).");
  provider
    .command('deregister')
    .description('Stop taking new channels (open channels keep working until closed).')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const cfg = helpers.config();
      const connection = connect(cfg);
      const client = providerWallet(cfg, connection);
      const result = await deregisterProvider(client, { market: connection.deployment.computeMarket });
      helpers.print(options.json, result, `deregistered ${client.account.address}`);
    });
}
