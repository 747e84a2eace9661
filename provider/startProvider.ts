import { createServer } from 'node:http';
import { isAddressEqual, type Account, type Address, type Chain, type Client, type Hex, type Transport } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { AgentError } from '../core/AgentError.js';
import { listenServer } from '../config/listenServer.js';
import { createVoucherVerifier } from '../chain/voucher/createVoucherVerifier.js';
import type { Backend } from './backends/Backend.js';
import { createChannelReader, type CreateChannelReaderReturnType } from './chain/createChannelReader.js';
import { silentLogger, type Logger } from '../core/Logger.js';
import { createProviderHandler } from './server/createProviderHandler.js';
import { createReceiptSigner } from './server/createReceiptSigner.js';
import { createAccusationAnswerer } from './settle/createAccusationAnswerer.js';
import { createSettler, type CreateSettlerReturnType } from './settle/createSettler.js';
import { openProviderStore } from './store/openProviderStore.js';
import type { ProviderStore } from './store/ProviderStore.js';
import { createX402Seller, type CreateX402SellerReturnType, type X402SellerOptions } from './x402/createX402Seller.js';

/** Parameters of {@link startProvider}. */
export type StartProviderParameters = {
  /** Wallet client of the provider's key, on the market's chain (it is the channels' provider and redeems). */
  client: Client<Transport, Chain, Account>;
  /** The ComputeMarket contract. */
  market: Address;
  /** What serves completions. */
  backend: Backend;
  /** Units of the payment token per million prompt tokens. */
  priceInPerMTok: bigint;
  /** Units of the payment token per million completion tokens. */
  priceOutPerMTok: bigint;
  /** Completion cap priced (and enforced upstream) when a request sets none (default 1024). */
  defaultMaxTokens?: bigint;
  /** Largest request body (default 1 MiB). */
  maxBodyBytes?: number;
  /** The ledger: a SQLite file, or a `postgres://` URL shared by a fleet of frontends. */
  databasePath: string;
  /** A fleet: look for reservations of frontends that died this often (default 5 s; PostgreSQL only). */
  reapIntervalMs?: number;
  /** Interface (default 127.0.0.1). */
  host?: string;
  /** Port (default: a free one). */
  port?: number;
  /** The option that set `port`, named when it is taken (e.g. `provider.port`). */
  portOption?: string;
  /** Redeem outstanding channels this often (default 10 minutes). */
  settleIntervalMs?: number;
  /** Market event polling interval (default 100 ms, for a local devnet). */
  pollingIntervalMs?: number;
  /** Cached channel state lives this long (default 2 s). */
  channelTtlMs?: number;
  /** Logger. */
  log?: Logger;
  /** The provider key's private key, to sign receipts with native libsecp256k1 (else the client's account signs them). */
  receiptKey?: Hex;
  /** Also sell over x402 v2 (`batch-settlement` and `exact`), issue 14. */
  x402?: X402SellerOptions;
};

/** A running provider node. */
export type StartProviderReturnType = {
  /** Base URL of the OpenAI-compatible API, including `/v1`. */
  url: string;
  /** Origin (for `/y2c/...`). */
  origin: string;
  /** The provider's address. */
  address: Address;
  /** The ledger. */
  store: ProviderStore;
  /** Settlement (`settle()` redeems now). */
  settler: CreateSettlerReturnType;
  /** The channel reader. */
  channels: CreateChannelReaderReturnType;
  /** Reservations released at start-up (left by a crash). */
  releasedAtStart: number;
  /** The x402 seller, when enabled (`claimAndSettle()` claims and settles batch-settlement vouchers now). */
  x402?: CreateX402SellerReturnType;
  /** Stops serving, redeems what is outstanding (unless `settle: false`), closes the ledger. */
  stop: (options?: { settle?: boolean }) => Promise<void>;
};

/** A price or cap option is out of range. */
export class ProviderConfigError extends AgentError {
  override name = 'ProviderConfigError' as const;
}

/**
 * Starts a compute provider node: opens the ledger (releasing reservations a crash left), serves
 * the OpenAI-compatible API paid by vouchers, watches the market's events, and redeems on a
 * schedule and whenever a channel's close is requested.
 *
 * @param parameters Key, market, backend, prices and where to keep the ledger.
 * @returns The running node.
 * @example
 * const node = await startProvider({ client, market, backend, priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n, databasePath: '.y2c/provider.db' });
 * console.log(node.url);
 */
export async function startProvider(parameters: StartProviderParameters): Promise<StartProviderReturnType> {
  const { client, market, backend, priceInPerMTok, priceOutPerMTok, log = silentLogger } = parameters;
  if (parameters.receiptKey && !isAddressEqual(privateKeyToAddress(parameters.receiptKey), client.account.address)) {
    throw new ProviderConfigError(`receiptKey is not the key of the provider account ${client.account.address}: receipts must be signed by the provider.`);
  }
  const defaultMaxTokens = parameters.defaultMaxTokens ?? 1024n;
  const maxBodyBytes = parameters.maxBodyBytes ?? 1_048_576;
  if (priceInPerMTok < 0n || priceOutPerMTok < 0n) throw new ProviderConfigError('Prices must not be negative.');
  if (defaultMaxTokens < 1n) throw new ProviderConfigError('defaultMaxTokens must be at least 1.');
  const chainId = client.chain.id;
  const address = client.account.address;

  const store = await openProviderStore({ store: parameters.databasePath });
  let releasedAtStart: number;
  try {
    releasedAtStart = await store.releaseAbandoned();
  } catch (error) {
    await store.close();
    throw error;
  }
  if (releasedAtStart) log.warn('released reservations left by a crash', { count: releasedAtStart });
  // A fleet: a frontend that dies mid-request leaves reservations its survivors release.
  const reaper =
    store.kind === 'postgres'
      ? setInterval(() => {
          store
            .releaseAbandoned()
            .then((count) => count && log.warn('released reservations of a gone frontend', { count }))
            .catch((error: unknown) => log.error('releasing abandoned reservations failed', { error: String(error) }));
        }, parameters.reapIntervalMs ?? 5_000)
      : undefined;
  reaper?.unref();
  let settler: CreateSettlerReturnType | undefined;
  const channels = createChannelReader({
    client,
    market,
    ...(parameters.channelTtlMs !== undefined ? { ttlMs: parameters.channelTtlMs } : {}),
    ...(parameters.pollingIntervalMs !== undefined ? { pollingIntervalMs: parameters.pollingIntervalMs } : {}),
    onCloseRequested(channelId, closesAt) {
      log.info('close requested, redeeming', { channelId, closesAt });
      settler?.settle([channelId]).catch((error: unknown) => log.error('redeem on close failed', { channelId, error: String(error) }));
    },
  });
  settler = createSettler({
    client,
    market,
    store,
    channels,
    log,
    ...(parameters.settleIntervalMs !== undefined ? { intervalMs: parameters.settleIntervalMs } : {}),
  });
  const verifier = createVoucherVerifier({ chainId, market });
  if (verifier.fallbackReason) log.warn('vouchers verified in pure JS (about 30 times slower)', { engine: verifier.engine, reason: verifier.fallbackReason });
  const x402 = parameters.x402
    ? createX402Seller({ ...parameters.x402, client, terms: { priceInPerMTok, priceOutPerMTok, defaultMaxTokens }, log })
    : undefined;
  const handler = createProviderHandler({
    provider: address,
    market,
    chainId,
    terms: { priceInPerMTok, priceOutPerMTok, defaultMaxTokens },
    maxBodyBytes,
    backend,
    store,
    channels,
    verifier,
    log,
    ...(x402 ? { x402 } : {}),
    receipts: createReceiptSigner({ account: client.account, chainId, market, ...(parameters.receiptKey ? { privateKey: parameters.receiptKey } : {}) }),
  });
  const server = createServer((req, res) => {
    // A client that resets mid-request or mid-stream must not raise an unhandled 'error'.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    handler(req, res);
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  server.keepAliveTimeout = 30_000;
  const { port } = await listenServer(server, { port: parameters.port ?? 0, host: parameters.host ?? '127.0.0.1', option: parameters.portOption }).catch(async (error: unknown) => {
    if (reaper) clearInterval(reaper);
    await store.close();
    throw error;
  });
  channels.watch();
  settler.start();
  await x402?.start().catch((error: unknown) => log.error('x402 seller failed to start', { error: String(error) }));
  // A payer hiding later receipts cannot take the bond: the latest receipt signed answers it.
  const answerer = createAccusationAnswerer({
    client,
    market,
    store,
    log,
    ...(parameters.pollingIntervalMs !== undefined ? { pollingIntervalMs: parameters.pollingIntervalMs } : {}),
  });
  answerer.start();
  const host = parameters.host ?? '127.0.0.1';
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info('provider listening', { origin, provider: address, market, chainId, backend: backend.kind, voucherEngine: verifier.engine });
  const activeSettler = settler;

  return {
    url: `${origin}/v1`,
    origin,
    address,
    store,
    settler: activeSettler,
    channels,
    releasedAtStart,
    ...(x402 ? { x402 } : {}),
    async stop(options = {}) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      channels.stop();
      answerer.stop();
      if (reaper) clearInterval(reaper);
      await activeSettler.stop();
      await x402?.stop();
      if (x402 && options.settle !== false) await x402.claimAndSettle().catch((error: unknown) => log.error('final x402 settlement failed', { error: String(error) }));
      if (options.settle !== false) await activeSettler.settle().catch((error: unknown) => log.error('final settlement failed', { error: String(error) }));
      await backend.close();
      await store.close();
    },
  };
}
