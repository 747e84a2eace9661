import { AgentError } from '../../core/AgentError.js';
import { meterCost, type Prices } from './meterCost.js';
import { promptTokenBound } from './promptTokenBound.js';

/** The fields of a chat-completion request that bound its cost. */
export type MaxCostRequest = {
  /** Chat messages. */
  messages?: unknown;
  /** Tool definitions. */
  tools?: unknown;
  /** Tool choice. */
  tool_choice?: unknown;
  /** Output format (a JSON schema counts as prompt). */
  response_format?: unknown;
  /** Completion cap (legacy name). */
  max_tokens?: unknown;
  /** Completion cap (current name; wins over `max_tokens`). */
  max_completion_tokens?: unknown;
};

/** Prices and the completion cap a provider applies when the request sets none. */
export type MaxCostTerms = Prices & {
  /** Completion tokens assumed (and enforced upstream) when the request sets no cap. */
  defaultMaxTokens: bigint;
};

/** Return type of {@link maxCost}. */
export type MaxCostReturnType = {
  /** The most this request can cost, in payment-token units. */
  cost: bigint;
  /** The prompt-token bound used. */
  promptTokens: bigint;
  /** The completion cap used. */
  maxTokens: bigint;
};

/** `max_tokens` / `max_completion_tokens` is not a positive integer. */
export class MaxTokensInvalidError extends AgentError {
  override name = 'MaxTokensInvalidError' as const;
}

/**
 * The most a chat-completion request can cost: the prompt-token bound at the input price plus the
 * completion cap (`max_completion_tokens`, else `max_tokens`, else the provider's default) at the
 * output price, per million tokens, rounded up. The payer signs `spent + maxCost`; the provider
 * accepts a voucher only if it covers it.
 *
 * @param request The parsed request body.
 * @param terms Prices and the default completion cap.
 * @returns The cost bound and its parts.
 * @throws {MaxTokensInvalidError} When a cap is given but is not a positive integer.
 * @example maxCost({ messages, max_tokens: 256 }, { priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n, defaultMaxTokens: 1024n }).cost
 */
export function maxCost(request: MaxCostRequest, terms: MaxCostTerms): MaxCostReturnType {
  const promptTokens = promptTokenBound(request);
  const maxTokens = completionCap(request, terms.defaultMaxTokens);
  return { cost: meterCost({ promptTokens, completionTokens: maxTokens }, terms), promptTokens, maxTokens };
}

function completionCap(request: MaxCostRequest, fallback: bigint): bigint {
  const given = request.max_completion_tokens ?? request.max_tokens;
  if (given === undefined || given === null) return fallback;
  if (typeof given !== 'number' || !Number.isSafeInteger(given) || given < 1) {
    throw new MaxTokensInvalidError('max_tokens must be a positive integer.', { details: `got ${JSON.stringify(given)}` });
  }
  return BigInt(given);
}
