import type { ProviderSnapshot, TreasuryParams } from './types.js';

/** Parameters of {@link providerEligibility}. */
export type ProviderEligibilityParameters = {
  provider: ProviderSnapshot;
  params: Pick<TreasuryParams, 'minSuccessRate' | 'maxP50LatencyMs' | 'minSamples' | 'minProviderBond'>;
};

/** Below this average score from trusted ERC-8004 clients a provider is not funded. */
export const minReputationScore = 50;

/** Whether the treasury may fund this provider, and if not, why. */
export type ProviderEligibilityReturnType = { eligible: true; why?: undefined } | { eligible: false; why: string };

/**
 * Checks that a provider is trusted, active, bonded at least `minProviderBond`, not poorly rated by trusted ERC-8004 clients, and healthy (success rate and median latency within
 * bounds; too few calls to judge counts as healthy).
 *
 * @param parameters The provider and the health thresholds.
 * @returns `{ eligible: true }` or `{ eligible: false, why }`.
 * @example
 * providerEligibility({ provider, params }).eligible
 */
export function providerEligibility(parameters: ProviderEligibilityParameters): ProviderEligibilityReturnType {
  const { provider, params } = parameters;
  if (!provider.trusted) return { eligible: false, why: `${provider.address} is not trusted` };
  if (!provider.active) return { eligible: false, why: `${provider.address} is not active in the market` };
  const minBond = params.minProviderBond ?? 0n;
  if (minBond > 0n && (provider.bond ?? 0n) < minBond)
    return { eligible: false, why: `${provider.address} is not bonded enough: its bond of ${provider.bond ?? 0n} token units is below the minimum of ${minBond} (agent.minProviderBond), so a lie would cost it less` };
  if (provider.reputation && provider.reputation.count > 0 && provider.reputation.score < minReputationScore)
    return { eligible: false, why: `${provider.address} is poorly rated: trusted clients score it ${provider.reputation.score.toFixed(1)}/100 over ${provider.reputation.count} feedback (< ${minReputationScore})` };
  const { successRate, p50LatencyMs, samples } = provider.healthy;
  if (samples < params.minSamples) return { eligible: true };
  if (successRate < params.minSuccessRate)
    return { eligible: false, why: `${provider.address} is unhealthy: success rate ${(successRate * 100).toFixed(1)}% < ${(params.minSuccessRate * 100).toFixed(1)}%` };
  if (p50LatencyMs > params.maxP50LatencyMs)
    return { eligible: false, why: `${provider.address} is unhealthy: median latency ${p50LatencyMs} ms > ${params.maxP50LatencyMs} ms` };
  return { eligible: true };
}
