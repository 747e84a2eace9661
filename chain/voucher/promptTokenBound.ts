/** The part of a chat-completion request that counts towards its prompt. */
export type PromptTokenBoundParameters = {
  /** Chat messages as sent. */
  messages?: unknown;
  /** Tool definitions as sent. */
  tools?: unknown;
  /** Tool choice as sent (it can name a tool and carry text). */
  tool_choice?: unknown;
  /** Output format as sent (a JSON schema is read by the model as prompt). */
  response_format?: unknown;
};

/** Return type of {@link promptTokenBound}. */
export type PromptTokenBoundReturnType = bigint;

const encoder = new TextEncoder();

/**
 * An upper bound on a request's prompt tokens that payer and provider compute identically before
 * any tokenizer runs: the UTF-8 byte length of `JSON.stringify({ messages, tools, tool_choice,
 * response_format })` (fields left out when absent): every field the upstream reads as prompt. A byte-level
 * BPE token covers at least one byte, and the JSON keys and quotes outweigh the few special tokens a
 * chat template adds per message, so real prompt counts stay below it.
 *
 * @param request The parsed request body.
 * @returns The bound, in tokens.
 * @example promptTokenBound({ messages: [{ role: 'user', content: 'hi' }] }) // 43n
 */
export function promptTokenBound(request: PromptTokenBoundParameters): PromptTokenBoundReturnType {
  const read: Record<string, unknown> = { messages: request.messages };
  if (request.tools !== undefined) read.tools = request.tools;
  if (request.tool_choice !== undefined) read.tool_choice = request.tool_choice;
  if (request.response_format !== undefined) read.response_format = request.response_format;
  const text = JSON.stringify(read);
  return BigInt(encoder.encode(text).length);
}
