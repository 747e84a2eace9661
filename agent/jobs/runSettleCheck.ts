import type { Address, PublicClient } from 'viem';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { auditRedemptions } from '../../tools/compute/auditRedemptions.js';
import type { PayingStore } from '../../tools/compute/PayingStore.js';
import { syncChannels } from '../../tools/compute/syncChannels.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';

/** Parameters of {@link runSettleCheck}. */
export type RunSettleCheckParameters = {
  publicClient: PublicClient;
  deployment: AgentDeployment;
  memory: Pick<OpenAgentMemoryReturnType, 'channels' | 'kv'>;
  payingStore: PayingStore | undefined;
};

/** A channel whose on-chain redemptions do not match what the agent signed or was told. */
export type SettleAnomaly = { channelId: bigint; provider: Address; redeemed: bigint; authorized: bigint; reported: bigint; problem: string };

/** Return type of {@link runSettleCheck}. */
export type RunSettleCheckReturnType = { channels: number; anomalies: SettleAnomaly[]; untrusted: Address[] };

/**
 * The settle check: syncs channels from the chain, then compares each provider's on-chain
 * redemptions with the agent's own records: never more than the highest voucher signed, never more
 * than the provider reported as spent. A provider that redeemed more than it reported is marked
 * untrusted in the paying store (the paying fetch stops paying it). Read-only on chain; idempotent.
 *
 * @param parameters Chain, deployment, memory and paying store.
 * @returns Channels checked, anomalies, providers newly distrusted.
 * @example const { anomalies } = await runSettleCheck({ publicClient, deployment, memory, payingStore })
 */
export async function runSettleCheck(parameters: RunSettleCheckParameters): Promise<RunSettleCheckReturnType> {
  const { publicClient, deployment, memory, payingStore } = parameters;
  await syncChannels(parameters);
  const anomalies: SettleAnomaly[] = [];
  let untrusted: Address[] = [];
  const channels = memory.channels.list(500);
  if (payingStore) {
    const audit = await auditRedemptions({ client: publicClient, market: deployment.computeMarket, store: payingStore });
    untrusted = audit.untrusted;
    for (const entry of audit.channels) {
      const state = await payingStore.getChannel(entry.channelId);
      const authorized = state?.authorized ?? 0n;
      if (entry.redeemed > authorized) {
        anomalies.push({ channelId: entry.channelId, provider: entry.provider, redeemed: entry.redeemed, authorized, reported: entry.reported, problem: 'redeemed more than the agent ever signed' });
      } else if (!entry.honest) {
        anomalies.push({ channelId: entry.channelId, provider: entry.provider, redeemed: entry.redeemed, authorized, reported: entry.reported, problem: 'redeemed more than the provider reported as spent' });
      }
      const known = memory.channels.get(entry.channelId);
      if (known && entry.reported > known.spent) memory.channels.recordSpent(entry.channelId, entry.reported);
    }
  }
  memory.kv.setJson('settle.last', { at: new Date().toISOString(), channels: channels.length, anomalies: anomalies.length });
  return { channels: channels.length, anomalies, untrusted };
}
