import { meterCost, type Prices } from '../../chain/voucher/meterCost.js';

/** Parameters of {@link checkReportedFigures}. */
export type CheckReportedFiguresParameters = {
  /** The call's cost as reported (`x-y2c-cost`, or the stream's `y2c.cost`). */
  cost: unknown;
  /** The channel's total after the call as reported (`x-y2c-spent`, or `y2c.spent`). */
  spent: unknown;
  /** The `usage` the client received with the completion. */
  usage: unknown;
  /** The prices the provider quoted on /y2c/info. */
  prices: Prices;
  /** The client's own bounds for the request: prompt tokens, completion cap, and their cost. */
  promptTokens: bigint;
  maxTokens: bigint;
  maxCost: bigint;
  /** The highest spent the provider reported before this call was signed. */
  spentBefore: bigint;
  /** The most the provider's total may have grown by other calls meanwhile (their maxCost). */
  othersInFlight: bigint;
};

/** Return type of {@link checkReportedFigures}: the figures, or why they cannot be true. */
export type CheckReportedFiguresReturnType = { ok: true; cost: bigint; spent: bigint } | { ok: false; reason: string };

const integer = /^[0-9]{1,40}$/;

/**
 * Checks a provider's figures for one paid call against what the client knows itself: the cost is
 * a positive integer, at most the maxCost it signed for, and exactly the quoted prices applied to
 * the `usage` it received; that usage stays within its own prompt bound and completion cap; and
 * the reported total grew by the cost, and by no more than the cost plus what other calls on the
 * channel may have added. A provider failing any of these lies (or is broken) and is not paid again.
 *
 * @param parameters Reported figures, received usage, quoted prices and the client's bounds.
 * @returns The checked figures as bigints, or the reason they are refused.
 * @example checkReportedFigures({ cost: '7', spent: '7', usage, prices, promptTokens: 43n, maxTokens: 64n, maxCost: 118n, spentBefore: 0n, othersInFlight: 0n })
 */
export function checkReportedFigures(parameters: CheckReportedFiguresParameters): CheckReportedFiguresReturnType {
  const { prices, promptTokens, maxTokens, maxCost, spentBefore, othersInFlight } = parameters;
  const shown = (value: unknown) => JSON.stringify(value)?.slice(0, 60) ?? String(value);
  if (typeof parameters.cost !== 'string' || !integer.test(parameters.cost)) return { ok: false, reason: `reported cost ${shown(parameters.cost)} is not a non-negative integer` };
  if (typeof parameters.spent !== 'string' || !integer.test(parameters.spent)) return { ok: false, reason: `reported spent ${shown(parameters.spent)} is not a non-negative integer` };
  const cost = BigInt(parameters.cost);
  const spent = BigInt(parameters.spent);
  if (cost === 0n) return { ok: false, reason: 'reported a zero cost for a served completion' };
  if (cost > maxCost) return { ok: false, reason: `reported cost ${cost} above the ${maxCost} the request could cost` };
  const usage = parameters.usage as { prompt_tokens?: unknown; completion_tokens?: unknown } | undefined | null;
  const prompt = usage?.prompt_tokens;
  const completion = usage?.completion_tokens;
  if (typeof prompt !== 'number' || typeof completion !== 'number' || !Number.isSafeInteger(prompt) || !Number.isSafeInteger(completion) || prompt < 0 || completion < 0) {
    return { ok: false, reason: `sent no usable usage (${shown(usage)}) with a cost of ${cost}` };
  }
  if (BigInt(prompt) > promptTokens) return { ok: false, reason: `reported ${prompt} prompt tokens, above the bound of ${promptTokens}` };
  if (BigInt(completion) > maxTokens) return { ok: false, reason: `reported ${completion} completion tokens, above the cap of ${maxTokens}` };
  const metered = meterCost({ promptTokens: prompt, completionTokens: completion }, prices);
  if (metered !== cost) return { ok: false, reason: `reported cost ${cost}, but its usage (${prompt} in, ${completion} out) costs ${metered} at its quoted prices` };
  if (spent < spentBefore + cost) return { ok: false, reason: `reported spent ${spent}, below the ${spentBefore} it reported before plus this call's ${cost}` };
  if (spent > spentBefore + othersInFlight + cost) {
    return { ok: false, reason: `reported spent ${spent}, above ${spentBefore} before + ${cost} for this call + ${othersInFlight} other calls could add` };
  }
  return { ok: true, cost, spent };
}
