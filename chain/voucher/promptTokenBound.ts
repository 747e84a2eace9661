/** The part of a chat-completion request that counts towards its prompt. */
export type PromptTokenBoundParameters = {
  /** Chat messages as sent. */
  messages?: unknown;
  /** Tool definitions as sent. */
  tools?: unknown;
};

/** Return type of {@link promptTokenBound}. */
export type PromptTokenBoundReturnType = bigint;

const encoder = new TextEncoder();

/**
 * An upper bound on a request's prompt tokens that payer and provider compute identically before
 * any tokenizer runs: the UTF-8 byte length of `JSON.stringify({ messages, tools })`. A byte-level
 * BPE token covers at least one byte, and the JSON keys and quotes outweigh the few special tokens a
 * chat template adds per message, so real prompt counts stay below it.
 *
 * @param request The parsed request body.
 * @returns The bound, in tokens.
 * @example promptTokenBound({ messages: [{ role: 'user', content: 'hi' }] }) // 43n
 */
export function promptTokenBound(request: PromptTokenBoundParameters): PromptTokenBoundReturnType {
  const text = JSON.stringify(request.tools === undefined ? { messages: request.messages } : { messages: request.messages, tools: request.tools });
  return BigInt(encoder.encode(text).length);
}
