import { isAddressEqual } from 'viem';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import type { PayingStore } from '../../tools/compute/PayingStore.js';
import type { ProviderInfo } from '../../protocol/schemas.js';
import { channelRemaining } from '../../memory/channelRemaining.js';
import { OutOfComputeError } from './errors.js';

/** Parameters of {@link createChannelPicker}. */
export type CreateChannelPickerParameters = {
  memory: Pick<OpenAgentMemoryReturnType, 'channels'>;
  store: PayingStore;
};

/** The paying fetch's `channel` callback. */
export type ChannelPicker = (request: { info: ProviderInfo; required: bigint }) => Promise<bigint>;

/**
 * The paying fetch's channel callback for the agent: the open channel to that provider with the most
 * left (deposit minus what the provider reported spent) that covers the request. It never opens or
 * tops up a channel itself: buying compute is the treasury's decision, so when none can pay it throws
 * OutOfComputeError and the brain says so.
 *
 * @param parameters Memory (channels synced by the treasury) and the paying store.
 * @returns The callback.
 * @example createPayingFetch({ account, channel: createChannelPicker({ memory, store }), caps, store })
 */
export function createChannelPicker(parameters: CreateChannelPickerParameters): ChannelPicker {
  const { memory, store } = parameters;
  return async ({ info, required }) => {
    let best: { channelId: bigint; left: bigint } | undefined;
    for (const channel of memory.channels.listOpen()) {
      if (channel.status !== 'open' || !isAddressEqual(channel.provider, info.provider)) continue;
      // The paying store may be the agent's own (same row) or a standalone one: take what it last saw.
      const state = await store.getChannel(channel.channelId);
      const left = channelRemaining({ deposit: channel.deposit, redeemed: channel.redeemed, spent: state && state.spent > channel.spent ? state.spent : channel.spent });
      if (left >= required && (!best || left > best.left)) best = { channelId: channel.channelId, left };
    }
    if (!best) throw new OutOfComputeError(`No open channel with ${info.provider} has ${required} token units left for this request.`);
    return best.channelId;
  };
}
