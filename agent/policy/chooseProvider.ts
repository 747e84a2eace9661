import { providerEligibility } from './providerEligibility.js';
import type { ProviderSnapshot, TreasuryParams } from './types.js';

/** Parameters of {@link chooseProvider}. */
export type ChooseProviderParameters = {
  providers: readonly ProviderSnapshot[];
  params: Pick<TreasuryParams, 'minSuccessRate' | 'maxP50LatencyMs' | 'minSamples' | 'typicalRequest'>;
};

/** The best provider and why, or why there is none. */
export type ChooseProviderReturnType =
  | { provider: ProviderSnapshot; reason: string }
  | { provider: undefined; reason: string };

/**
 * Picks the cheapest trusted, active, healthy provider for a typical request; ties go to the
 * higher success rate, then the lower median latency, then the lower address (deterministic).
 *
 * @param parameters Candidates and thresholds.
 * @returns The chosen provider with a reason, or `provider: undefined` with the reasons each was refused.
 * @example
 * const { provider, reason } = chooseProvider({ providers, params })
 */
export function chooseProvider(parameters: ChooseProviderParameters): ChooseProviderReturnType {
  const { providers, params } = parameters;
  if (providers.length === 0) return { provider: undefined, reason: 'no providers are registered' };
  const refused: string[] = [];
  const eligible: ProviderSnapshot[] = [];
  for (const provider of providers) {
    const verdict = providerEligibility({ provider, params });
    if (verdict.eligible) eligible.push(provider);
    else refused.push(verdict.why);
  }
  if (eligible.length === 0) return { provider: undefined, reason: `no trusted, active, healthy provider (${refused.join('; ')})` };
  const cost = (provider: ProviderSnapshot) =>
    provider.priceIn * params.typicalRequest.tokensIn + provider.priceOut * params.typicalRequest.tokensOut;
  const ranked = [...eligible].sort((a, b) => {
    const byCost = cost(a) - cost(b);
    if (byCost !== 0n) return byCost < 0n ? -1 : 1;
    if (a.healthy.successRate !== b.healthy.successRate) return b.healthy.successRate - a.healthy.successRate;
    if (a.healthy.p50LatencyMs !== b.healthy.p50LatencyMs) return a.healthy.p50LatencyMs - b.healthy.p50LatencyMs;
    return a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1;
  });
  const best = ranked[0] as ProviderSnapshot;
  return {
    provider: best,
    reason: `${best.address} is the cheapest of ${eligible.length} eligible provider(s) (in ${best.priceIn}/out ${best.priceOut} units per M tokens, success ${(best.healthy.successRate * 100).toFixed(1)}%, p50 ${best.healthy.p50LatencyMs} ms)`,
  };
}
