import type { Backend, BackendUsage, ChatCompletionChunk } from './Backend.js';

/** Parameters of {@link createEchoBackend}. */
export type CreateEchoBackendParameters = {
  /** Public model id (default `echo`). */
  model?: string;
};

/** Return type of {@link createEchoBackend}. */
export type CreateEchoBackendReturnType = Backend;

/**
 * A zero-latency backend that answers with the last message's text, counting whitespace-separated
 * words as tokens. For benchmarks of the provider's own overhead only: tests use a real upstream.
 *
 * @param parameters The model id.
 * @returns The backend.
 * @example const backend = createEchoBackend();
 */
export function createEchoBackend(parameters: CreateEchoBackendParameters = {}): CreateEchoBackendReturnType {
  const model = parameters.model ?? 'echo';
  const reply = (request: { messages: unknown[]; max_tokens: number }) => {
    const last = request.messages.at(-1) as { content?: unknown } | undefined;
    const words = (typeof last?.content === 'string' ? last.content : '').split(/(?<=\s)(?=\S)/).filter(Boolean).slice(0, request.max_tokens);
    const promptTokens = request.messages.reduce<number>((n, m) => n + 1 + wordCount((m as { content?: unknown }).content), 0);
    const usage: BackendUsage = { prompt_tokens: promptTokens, completion_tokens: words.length, total_tokens: promptTokens + words.length };
    return { words, usage };
  };
  return {
    kind: 'echo',
    models: [model],
    async complete(request) {
      const { words, usage } = reply(request);
      return {
        body: {
          id: 'chatcmpl-echo',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: request.model,
          choices: [{ index: 0, message: { role: 'assistant', content: words.join(''), refusal: null }, logprobs: null, finish_reason: 'stop' }],
          usage,
        },
        usage,
      };
    },
    async *stream(request) {
      const { words, usage } = reply(request);
      const base = { id: 'chatcmpl-echo', object: 'chat.completion.chunk' as const, created: Math.floor(Date.now() / 1000), model: request.model };
      const chunk = (delta: ChatCompletionChunk.Choice.Delta, finish: ChatCompletionChunk.Choice['finish_reason'] = null): ChatCompletionChunk => ({
        ...base,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      });
      yield chunk({ role: 'assistant', content: '' });
      for (const word of words) yield chunk({ content: word });
      yield chunk({}, 'stop');
      yield { ...base, choices: [], usage };
    },
    async close() {},
  };
}

function wordCount(content: unknown): number {
  if (typeof content !== 'string') return 0;
  const trimmed = content.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}
