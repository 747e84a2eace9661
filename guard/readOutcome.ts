import { isAddressEqual, parseEventLogs, type Address } from 'viem';
import { computeMarketAbi } from '../chain/abi/generated/computeMarket.js';
import { yieldVaultAbi } from '../chain/abi/generated/yieldVault.js';
import type { GuardedAction } from './createGuardedExecutor.js';

/** Parameters of {@link readOutcome}. */
export type ReadOutcomeParameters = {
  action: GuardedAction;
  logs: Parameters<typeof parseEventLogs>[0]['logs'];
  tba: Address;
  vault: Address;
  market: Address;
};

/**
 * What the logs of a confirmed write say: the amount moved and, for an open, the new channel.
 *
 * @param parameters The action, the receipt's logs and the addresses they must come from.
 * @returns `{ amount, channel }`.
 * @example readOutcome({ action, logs: receipt.logs, tba, vault, market })
 */
export function readOutcome(parameters: ReadOutcomeParameters): {
  amount: bigint | undefined;
  channel: { channelId: bigint; provider: Address; signer: Address; deposit: bigint } | undefined;
} {
  const { action, logs, tba, vault, market } = parameters;
  if (action.action === 'harvest') {
    const harvested = parseEventLogs({ abi: yieldVaultAbi, logs, eventName: 'Harvested' }).find((log) => isAddressEqual(log.address, vault));
    return { amount: harvested?.args.amount, channel: undefined };
  }
  const events = parseEventLogs({ abi: computeMarketAbi, logs }).filter((log) => isAddressEqual(log.address, market));
  for (const event of events) {
    if (event.eventName === 'ChannelOpened' && action.action === 'open' && isAddressEqual(event.args.payer, tba)) {
      return {
        amount: event.args.deposit,
        channel: { channelId: event.args.channelId, provider: event.args.provider, signer: event.args.signer, deposit: event.args.deposit },
      };
    }
    if (event.eventName === 'ChannelToppedUp' && action.action === 'top_up' && event.args.channelId === action.channelId) return { amount: event.args.amount, channel: undefined };
    if (event.eventName === 'ChannelClosed' && 'channelId' in action && event.args.channelId === action.channelId) return { amount: event.args.refunded, channel: undefined };
  }
  return { amount: 'amount' in action ? action.amount : undefined, channel: undefined };
}
