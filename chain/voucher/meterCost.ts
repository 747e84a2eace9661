/** What a provider charges, per million tokens, in payment-token units. */
export type Prices = {
  /** Units per million prompt tokens. */
  priceInPerMTok: bigint;
  /** Units per million completion tokens. */
  priceOutPerMTok: bigint;
};

/** Parameters of {@link meterCost}. */
export type MeterCostParameters = {
  /** Prompt tokens. */
  promptTokens: bigint | number;
  /** Completion tokens. */
  completionTokens: bigint | number;
};

/** Return type of {@link meterCost}: payment-token units. */
export type MeterCostReturnType = bigint;

/**
 * The cost of a number of tokens at a provider's prices, rounded up to the next unit (once, over the sum).
 *
 * @param usage Prompt and completion tokens.
 * @param prices Prices per million tokens.
 * @returns `ceil((prompt × in + completion × out) / 1e6)`.
 * @example meterCost({ promptTokens: 12, completionTokens: 30 }, { priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n }) // 51n
 */
export function meterCost(usage: MeterCostParameters, prices: Prices): MeterCostReturnType {
  const scaled = BigInt(usage.promptTokens) * prices.priceInPerMTok + BigInt(usage.completionTokens) * prices.priceOutPerMTok;
  return (scaled + 999_999n) / 1_000_000n;
}
