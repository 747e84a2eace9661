import { zeroAddress, type Address, type Chain, type Client, type Transport } from 'viem';
import { readContract, watchContractEvent } from 'viem/actions';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';

/** A channel as the market reports it. */
export type MarketChannel = {
  channelId: bigint;
  payer: Address;
  provider: Address;
  signer: Address;
  deposit: bigint;
  redeemed: bigint;
  /** 0 while open; otherwise the end of the challenge window (unix seconds). */
  closesAt: bigint;
  closed: boolean;
};

/** Parameters of {@link createChannelReader}. */
export type CreateChannelReaderParameters = {
  /** Any client on the market's chain. */
  client: Client<Transport, Chain | undefined>;
  /** The ComputeMarket contract. */
  market: Address;
  /** A cached channel is re-read after this long (default 2 s). */
  ttlMs?: number;
  /** Event polling interval (default 100 ms, right for a local devnet). */
  pollingIntervalMs?: number;
  /** Called for every CloseRequested event (the provider must redeem before `closesAt`). */
  onCloseRequested?: (channelId: bigint, closesAt: bigint) => void;
};

/** Return type of {@link createChannelReader}. */
export type CreateChannelReaderReturnType = {
  /** The channel (cached up to the TTL; `fresh` reads the chain); undefined when it does not exist. */
  get: (channelId: bigint, options?: { fresh?: boolean }) => Promise<MarketChannel | undefined>;
  /** Starts watching the market's events, which drop cached channels as they change. */
  watch: () => void;
  /** Stops watching. */
  stop: () => void;
};

const watched = new Set(['ChannelToppedUp', 'CloseRequested', 'ChannelClosed', 'Redeemed']);

/**
 * Reads channels from the market with a short-lived cache that the market's own events invalidate
 * (viem `watchContractEvent`), so a top-up or a close request is seen within one polling interval
 * and, at worst, within the TTL.
 *
 * @param parameters The client, the market, the TTL and the event hook.
 * @returns `{ get, watch, stop }`.
 * @example
 * const channels = createChannelReader({ client, market, onCloseRequested: (id) => settler.settle([id]) });
 * channels.watch();
 */
export function createChannelReader(parameters: CreateChannelReaderParameters): CreateChannelReaderReturnType {
  const { client, market, ttlMs = 2_000, pollingIntervalMs = 100, onCloseRequested } = parameters;
  const cache = new Map<bigint, { at: number; channel: Promise<MarketChannel | undefined> }>();
  let unwatch: (() => void) | undefined;

  async function read(channelId: bigint): Promise<MarketChannel | undefined> {
    const channel = await readContract(client, { address: market, abi: computeMarketAbi, functionName: 'getChannel', args: [channelId] });
    if (channel.payer === zeroAddress) return undefined;
    return {
      channelId,
      payer: channel.payer,
      provider: channel.provider,
      signer: channel.signer,
      deposit: BigInt(channel.deposit),
      redeemed: BigInt(channel.redeemed),
      closesAt: BigInt(channel.closesAt),
      closed: channel.closed,
    };
  }

  return {
    get(channelId, options = {}) {
      const hit = cache.get(channelId);
      if (hit && !options.fresh && Date.now() - hit.at < ttlMs) return hit.channel;
      const channel = read(channelId).catch(async (error: unknown) => {
        cache.delete(channelId);
        // A market that reverts for unknown ids (rather than returning zeros) means "no such channel".
        if (error instanceof Error && /revert/i.test(error.message)) return undefined;
        throw error;
      });
      cache.set(channelId, { at: Date.now(), channel });
      return channel;
    },
    watch() {
      if (unwatch) return;
      unwatch = watchContractEvent(client, {
        address: market,
        abi: computeMarketAbi,
        pollingInterval: pollingIntervalMs,
        onLogs(logs) {
          for (const log of logs) {
            if (!log.eventName || !watched.has(log.eventName)) continue;
            const args = log.args as { channelId?: bigint; closesAt?: bigint | number };
            if (args.channelId === undefined) continue;
            cache.delete(args.channelId);
            if (log.eventName === 'CloseRequested') onCloseRequested?.(args.channelId, BigInt(args.closesAt ?? 0));
          }
        },
      });
    },
    stop() {
      unwatch?.();
      unwatch = undefined;
    },
  };
}
