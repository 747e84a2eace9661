import type { AgentChannel } from './createChannelsStore.js';

/**
 * What an open channel can still pay, token units: its deposit minus the larger of what the provider
 * reported spent and what it redeemed on chain (never below 0). The one place this is computed.
 *
 * @param channel The channel, as the agent's store holds it.
 * @returns Deposit − max(spent, redeemed), at least 0.
 * @example channelRemaining({ deposit: 5_000_000n, spent: 12_000n, redeemed: 10_000n }) // 4_988_000n
 */
export function channelRemaining(channel: Pick<AgentChannel, 'deposit' | 'spent' | 'redeemed'>): bigint {
  const used = channel.spent > channel.redeemed ? channel.spent : channel.redeemed;
  return channel.deposit > used ? channel.deposit - used : 0n;
}
