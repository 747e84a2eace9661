import type { Address, Chain, Client, Hash, Transport } from 'viem';
import { getContractEvents, readContract } from 'viem/actions';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import type { PayingStore } from './PayingStore.js';

/** Parameters of {@link auditRedemptions}. */
export type AuditRedemptionsParameters = {
  /** Any client on the market's chain. */
  client: Client<Transport, Chain | undefined>;
  /** The ComputeMarket contract. */
  market: Address;
  /** The paying client's ledger. */
  store: PayingStore;
};

/** The audit of one channel. */
export type ChannelAudit = {
  channelId: bigint;
  provider: Address;
  /** Total the provider redeemed on chain. */
  redeemed: bigint;
  /** The highest `spent` it ever reported. */
  reported: bigint;
  /** True when it redeemed no more than it reported. */
  honest: boolean;
  /** For a dishonest channel, the Redeemed transactions (evidence). */
  evidence: Hash[];
};

/** Return type of {@link auditRedemptions}. */
export type AuditRedemptionsReturnType = {
  channels: ChannelAudit[];
  /** Providers newly marked untrusted. */
  untrusted: Address[];
};

/**
 * Compares what each provider redeemed on chain (`getChannel().redeemed`, with the `Redeemed`
 * events as evidence) with the highest `spent` it reported to this client, and marks a provider
 * that took more as untrusted in the store (the paying fetch then refuses to pay it).
 *
 * @param parameters The chain client, the market and the paying store.
 * @returns One audit per known channel and the providers newly distrusted.
 * @example const { untrusted } = await auditRedemptions({ client, market, store });
 */
export async function auditRedemptions(parameters: AuditRedemptionsParameters): Promise<AuditRedemptionsReturnType> {
  const { client, market, store } = parameters;
  const audits: ChannelAudit[] = [];
  const untrusted: Address[] = [];
  for (const state of await store.channels()) {
    const onChain = await readContract(client, { address: market, abi: computeMarketAbi, functionName: 'getChannel', args: [state.channelId] });
    const redeemed = BigInt(onChain.redeemed);
    const honest = redeemed <= state.spent;
    let evidence: Hash[] = [];
    if (!honest) {
      const events = await getContractEvents(client, {
        address: market,
        abi: computeMarketAbi,
        eventName: 'Redeemed',
        args: { channelId: state.channelId },
        fromBlock: 0n,
      });
      evidence = events.map((event) => event.transactionHash).filter((hash): hash is Hash => hash !== null);
      if (!(await store.untrusted(state.provider))) {
        await store.markUntrusted(
          state.provider,
          `redeemed ${redeemed} on channel ${state.channelId} but reported spending ${state.spent} (tx ${evidence.at(-1) ?? 'unknown'})`,
        );
        untrusted.push(state.provider);
      }
    }
    audits.push({ channelId: state.channelId, provider: state.provider, redeemed, reported: state.spent, honest, evidence });
  }
  return { channels: audits, untrusted };
}
