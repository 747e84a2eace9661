import { isAddressEqual } from 'viem';
import type { X402ChannelConfig } from './createGuardedExecutor.js';
import { UntrustedProviderError, X402ChannelRefusedError } from './errors.js';
import type { GuardContext } from './GuardContext.js';
import { day } from './guardLimits.js';

/**
 * An x402 channel must be the agent's (payer the TBA, vouchers by the session key), to a trusted
 * seller, in the payment token, with a withdraw delay in (0, policy max].
 *
 * @param context The guard.
 * @param channel The channel's terms.
 * @throws {UntrustedProviderError} / {X402ChannelRefusedError}.
 * @example checkX402Channel(context, action.channel);
 */
export function checkX402Channel(context: GuardContext, channel: X402ChannelConfig): void {
  const { policy, tba, wallet, token } = context;
  const sellers = policy.trustedX402Sellers ?? [];
  if (!sellers.some((seller) => isAddressEqual(seller, channel.receiver))) {
    throw new UntrustedProviderError(`x402 seller ${channel.receiver} is not a trusted seller; the agent only pays ${sellers.join(', ') || 'no x402 seller'}.`);
  }
  if (!isAddressEqual(channel.payer, tba)) throw new X402ChannelRefusedError(`An x402 channel must have the agent's account ${tba} as payer, not ${channel.payer}.`);
  if (!isAddressEqual(channel.payerAuthorizer, wallet.sessionKey)) {
    throw new X402ChannelRefusedError(`An x402 channel's vouchers must be signed by the session key ${wallet.sessionKey}, not ${channel.payerAuthorizer}.`);
  }
  if (!isAddressEqual(channel.token, token)) throw new X402ChannelRefusedError(`An x402 channel must be in the payment token ${token}, not ${channel.token}.`);
  const maxDelay = policy.maxX402WithdrawDelay ?? day;
  if (!Number.isInteger(channel.withdrawDelay) || channel.withdrawDelay <= 0 || channel.withdrawDelay > maxDelay) {
    throw new X402ChannelRefusedError(`An x402 channel's withdraw delay of ${channel.withdrawDelay} s is outside (0, ${maxDelay}] s.`);
  }
}
