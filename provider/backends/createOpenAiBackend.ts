import type { Backend, BackendUsage, ModelInfo, ChatCompletion, ChatCompletionChunk } from './Backend.js';
import { readServerSentEvents } from './readServerSentEvents.js';
import { UpstreamError } from './UpstreamError.js';

/** Parameters of {@link createOpenAiBackend}. */
export type CreateOpenAiBackendParameters = {
  /** Base URL of any OpenAI-compatible API, including `/v1` (e.g. `https://api.openai.com/v1`). */
  baseUrl: string;
  /** Bearer key, when the upstream needs one. */
  apiKey?: string;
  /** Public model id → upstream model id. */
  models: Readonly<Record<string, string>>;
  /** Give up on an upstream request after this long (default 10 minutes). */
  timeoutMs?: number;
  /** What the upstream's models take, advertised to clients (default: tools, context unknown). */
  modelInfo?: ModelInfo;
};

/** Return type of {@link createOpenAiBackend}. */
export type CreateOpenAiBackendReturnType = Backend;

/**
 * A backend that forwards to any OpenAI-compatible upstream over HTTP: the body goes through
 * untouched (tool calls included) except the model id, and streams always ask the upstream for
 * the usage chunk (`stream_options.include_usage`).
 *
 * @param parameters Where the upstream is, its key, and the model mapping.
 * @returns The backend.
 * @example const backend = createOpenAiBackend({ baseUrl: 'http://127.0.0.1:8080/v1', models: { 'llama-3-8b': 'meta-llama/Meta-Llama-3-8B-Instruct' } });
 */
export function createOpenAiBackend(parameters: CreateOpenAiBackendParameters): CreateOpenAiBackendReturnType {
  const { apiKey, models, timeoutMs = 600_000 } = parameters;
  const baseUrl = parameters.baseUrl.replace(/\/+$/, '');

  async function post(body: Record<string, unknown>, signal: AbortSignal): Promise<Response> {
    const publicId = String(body.model);
    const upstreamModel = models[publicId];
    if (!upstreamModel) throw new UpstreamError(`The model ${publicId} is not mapped to an upstream model.`);
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify({ ...body, model: upstreamModel }),
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (cause) {
      throw new UpstreamError('The upstream model is unreachable.', { cause, details: baseUrl });
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new UpstreamError(`The upstream model answered ${response.status}.`, { details: text.slice(0, 500) });
    }
    return response;
  }

  return {
    kind: 'openai',
    models: Object.keys(models),
    modelInfo: Object.fromEntries(Object.keys(models).map((id) => [id, parameters.modelInfo ?? { tools: true }])),
    async complete(request, signal) {
      const response = await post({ ...request, stream: false }, signal);
      let body: ChatCompletion;
      try {
        body = (await response.json()) as ChatCompletion;
      } catch (cause) {
        throw new UpstreamError('The upstream model sent a body that is not JSON.', { cause });
      }
      if (!body || !Array.isArray(body.choices)) throw new UpstreamError('The upstream model sent no choices.');
      const usage = toUsage(body.usage);
      if (!usage) throw new UpstreamError('The upstream model reported no usage, so the completion cannot be metered.');
      return { body: { ...body, model: request.model }, usage };
    },
    async *stream(request, signal) {
      const streamOptions = typeof request.stream_options === 'object' && request.stream_options !== null ? request.stream_options : {};
      const response = await post({ ...request, stream: true, stream_options: { ...streamOptions, include_usage: true } }, signal);
      if (!response.body) throw new UpstreamError('The upstream model sent an empty stream.');
      try {
        for await (const data of readServerSentEvents(response.body)) {
          let chunk: ChatCompletionChunk;
          try {
            chunk = JSON.parse(data) as ChatCompletionChunk;
          } catch (cause) {
            throw new UpstreamError('The upstream model sent a chunk that is not JSON.', { cause, details: data.slice(0, 200) });
          }
          if ((chunk as { error?: unknown }).error) throw new UpstreamError('The upstream model failed mid-stream.', { details: data.slice(0, 500) });
          yield { ...chunk, model: request.model };
        }
      } catch (cause) {
        if (cause instanceof UpstreamError || signal.aborted) throw cause;
        throw new UpstreamError('The upstream stream broke.', { cause });
      }
    },
    async close() {},
  };
}

function toUsage(usage: unknown): BackendUsage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const { prompt_tokens, completion_tokens } = usage as Record<string, unknown>;
  if (!Number.isSafeInteger(prompt_tokens) || !Number.isSafeInteger(completion_tokens)) return undefined;
  const p = prompt_tokens as number;
  const c = completion_tokens as number;
  if (p < 0 || c < 0) return undefined;
  return { prompt_tokens: p, completion_tokens: c, total_tokens: p + c };
}
