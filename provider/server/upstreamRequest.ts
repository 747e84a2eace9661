import type { BackendRequest } from '../backends/Backend.js';
import { HttpError } from './HttpError.js';

/**
 * Request fields the provider forwards upstream. Each either cannot make the model read or write
 * more tokens than the price bound covers (sampling knobs, `stop`, `seed`), or is priced in the
 * prompt bound (`messages`, `tools`, `tool_choice`, `response_format`); the completion cap is the
 * provider's own `max_tokens`. Anything else is dropped.
 */
export const forwardedFields: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'temperature',
  'top_p',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'user',
]);

/** Fields that would make the upstream produce more than one priced completion, or read unpriced prompt: refused. */
const refusals: ReadonlyArray<{ field: string; refuse: (value: unknown) => boolean; why: string }> = [
  { field: 'n', refuse: (value) => value !== 1 && value !== null, why: 'only one choice (n = 1) is priced and served' },
  { field: 'best_of', refuse: (value) => value !== 1 && value !== null, why: 'only one completion is priced and served' },
  { field: 'functions', refuse: () => true, why: 'legacy `functions` are not priced; send `tools`' },
  { field: 'function_call', refuse: () => true, why: 'legacy `function_call` is not served; send `tool_choice`' },
  { field: 'logprobs', refuse: (value) => value !== false && value !== null, why: 'log probabilities are not served' },
  { field: 'top_logprobs', refuse: (value) => value !== 0 && value !== null, why: 'log probabilities are not served' },
  { field: 'audio', refuse: (value) => value !== null, why: 'audio output is not served' },
  { field: 'modalities', refuse: (value) => !(Array.isArray(value) && value.every((m) => m === 'text')) && value !== null, why: 'only text output is served' },
];

/**
 * The request the provider sends upstream: the client's body reduced to {@link forwardedFields},
 * with the priced completion cap as `max_tokens`. Fields that would be served beyond the price
 * (`n > 1`, `functions`, `logprobs`, …) are refused rather than dropped, so the client learns why.
 *
 * @param request The parsed client body (model and messages already checked).
 * @param maxTokens The completion cap the price covers.
 * @returns The upstream request.
 * @throws {HttpError} 400 `unsupported_parameter` naming the field.
 * @example upstreamRequest({ model: 'm', messages, n: 1, foo: 1 }, 64n) // { model: 'm', messages, max_tokens: 64 }
 */
export function upstreamRequest(request: Record<string, unknown> & { model: string; messages: unknown[] }, maxTokens: bigint): BackendRequest {
  for (const { field, refuse, why } of refusals) {
    if (request[field] !== undefined && refuse(request[field])) {
      throw new HttpError(400, 'invalid_request_error', 'unsupported_parameter', `The field ${field} is refused: ${why}.`);
    }
  }
  const upstream: BackendRequest = { model: request.model, messages: request.messages, max_tokens: Number(maxTokens) };
  for (const [field, value] of Object.entries(request)) {
    if (forwardedFields.has(field) && field !== 'model' && field !== 'messages' && value !== undefined) upstream[field] = value;
  }
  return upstream;
}
