import { channelRemaining } from '../../memory/channelRemaining.js';
import type { ChannelSnapshot } from './types.js';

/** Parameters of {@link channelAvailable}. */
export type ChannelAvailableParameters = Pick<ChannelSnapshot, 'deposit' | 'redeemed' | 'spentReported'>;

/** Token units still usable (or recoverable) in the channel. */
export type ChannelAvailableReturnType = bigint;

/**
 * What a channel can still pay for: its deposit minus the larger of what the provider reported
 * spent and what it redeemed (never negative).
 *
 * @param channel Deposit, redeemed and reported spend.
 * @returns Token units left.
 * @example
 * channelAvailable({ deposit: 10n, redeemed: 2n, spentReported: 3n }) // 7n
 */
export function channelAvailable(channel: ChannelAvailableParameters): ChannelAvailableReturnType {
  return channelRemaining({ deposit: channel.deposit, redeemed: channel.redeemed, spent: channel.spentReported });
}
