import { isAddressEqual } from 'viem';
import { computeMarketAbi } from '../chain/abi/generated/computeMarket.js';
import { ChannelNotOwnedError } from './errors.js';
import type { GuardContext } from './GuardContext.js';

/**
 * A channel the agent may act on: paid by its account and not closed.
 *
 * @param context The guard.
 * @param channelId The channel.
 * @returns The channel as the market holds it.
 * @throws {ChannelNotOwnedError} Otherwise.
 * @example const channel = await readOwnedChannel(context, 3n);
 */
export async function readOwnedChannel(context: GuardContext, channelId: bigint) {
  const channel = await context.publicClient.readContract({ address: context.market, abi: computeMarketAbi, functionName: 'getChannel', args: [channelId] });
  if (!isAddressEqual(channel.payer, context.tba)) throw new ChannelNotOwnedError(`Channel ${channelId} is not one of the agent's channels.`);
  if (channel.closed) throw new ChannelNotOwnedError(`Channel ${channelId} is already closed.`);
  return channel;
}
