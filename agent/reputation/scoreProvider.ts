/** Parameters of {@link scoreProvider}. */
export type ScoreProviderParameters = {
  /** Share of the agent's calls to it that succeeded, in [0, 1]. */
  successRate: number;
  /** Median latency of its successful calls, ms. */
  p50LatencyMs: number;
  /** Whether its on-chain redemptions matched the agent's ledger (never more than it reported). */
  ledgerMatched: boolean;
  /** The latency the treasury tolerates (config `maxP50LatencyMs`): at twice it the latency share is 0. */
  maxP50LatencyMs: number;
};

/**
 * The agent's ERC-8004 score of a provider, 0 to 100: 0 when its redemptions did not match the
 * ledger (a provider that takes more than it reported is worth nothing), otherwise 70 points for
 * its success rate and 30 for latency (full at 0 ms, none at twice the tolerated median).
 *
 * @param parameters Success rate, latency, ledger match and the latency bound.
 * @returns An integer score in [0, 100].
 * @example scoreProvider({ successRate: 1, p50LatencyMs: 0, ledgerMatched: true, maxP50LatencyMs: 10_000 }) // 100
 */
export function scoreProvider(parameters: ScoreProviderParameters): number {
  if (!parameters.ledgerMatched) return 0;
  const success = Math.min(Math.max(parameters.successRate, 0), 1);
  const bound = Math.max(parameters.maxP50LatencyMs, 1) * 2;
  const latency = Math.min(Math.max(1 - parameters.p50LatencyMs / bound, 0), 1);
  return Math.round(70 * success + 30 * latency);
}
