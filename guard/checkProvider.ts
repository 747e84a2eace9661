import { isAddressEqual, type Address } from 'viem';
import { computeMarketAbi } from '../chain/abi/generated/computeMarket.js';
import { UntrustedProviderError } from './errors.js';
import type { GuardContext } from './GuardContext.js';

/**
 * A channel's provider must be trusted by the policy and active in the market.
 *
 * @param context The guard.
 * @param provider The provider.
 * @throws {UntrustedProviderError} Otherwise.
 * @example await checkProvider(context, action.provider);
 */
export async function checkProvider(context: GuardContext, provider: Address): Promise<void> {
  const { policy, publicClient, market } = context;
  if (!policy.trustedProviders.some((trusted) => isAddressEqual(trusted, provider))) {
    throw new UntrustedProviderError(`Provider ${provider} is not a trusted provider; the agent only buys compute from ${policy.trustedProviders.join(', ') || 'no one'}.`);
  }
  const info = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'getProvider', args: [provider] });
  if (!info.active) throw new UntrustedProviderError(`Provider ${provider} is not active in the market.`);
  const minBond = policy.minProviderBond ?? 0n;
  if (minBond > 0n) {
    const bond = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'bondOf', args: [provider] });
    if (bond.bonded < minBond) throw new UntrustedProviderError(`Provider ${provider} holds a bond of ${bond.bonded} token units, below the agent's minimum of ${minBond}.`);
  }
}
