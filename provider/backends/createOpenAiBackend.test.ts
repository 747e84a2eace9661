import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedModel, type StartScriptedModelReturnType } from '../../test/fixtures/scriptedModel.js';
import type { ChatCompletionChunk } from './Backend.js';
import { createOpenAiBackend } from './createOpenAiBackend.js';
import { UpstreamError } from './UpstreamError.js';

let model: StartScriptedModelReturnType;
beforeAll(async () => {
  model = await startScriptedModel({ models: ['upstream-id'], apiKey: 'sk-test' });
});
afterAll(() => model.stop());

const request = { model: 'public', messages: [{ role: 'user', content: 'two words' }], max_tokens: 5 };
const collect = async (chunks: AsyncIterable<ChatCompletionChunk>) => {
  const all: ChatCompletionChunk[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
};

describe('createOpenAiBackend', () => {
  const backend = () => createOpenAiBackend({ baseUrl: model.url, apiKey: 'sk-test', models: { public: 'upstream-id' } });

  it('maps the model both ways and returns the usage', async () => {
    model.push({ content: 'a b c' });
    const { body, usage } = await backend().complete(request, new AbortController().signal);
    expect(model.requests.at(-1)).toMatchObject({ model: 'upstream-id', max_tokens: 5 });
    expect(body.model).toBe('public');
    expect(usage).toEqual({ prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 });
  });

  it('streams with include_usage asked upstream, ending in the usage chunk', async () => {
    model.push({ content: 'one two three four five six seven' });
    const chunks = await collect(backend().stream(request, new AbortController().signal));
    expect(model.requests.at(-1)?.stream_options).toEqual({ include_usage: true });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('one two three four five ');
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
    expect(chunks.every((c) => c.model === 'public')).toBe(true);
  });

  it('throws UpstreamError for an error status, a missing usage, an unreachable host and an unmapped model', async () => {
    model.push({ status: 500 });
    await expect(backend().complete(request, new AbortController().signal)).rejects.toThrow(/answered 500/);
    model.push({ content: 'x', omitUsage: true });
    await expect(backend().complete(request, new AbortController().signal)).rejects.toThrow(/no usage/);
    const wrongKey = createOpenAiBackend({ baseUrl: model.url, apiKey: 'nope', models: { public: 'upstream-id' } });
    await expect(wrongKey.complete(request, new AbortController().signal)).rejects.toThrow(/answered 401/);
    const down = createOpenAiBackend({ baseUrl: 'http://127.0.0.1:9/v1', models: { public: 'x' } });
    await expect(down.complete(request, new AbortController().signal)).rejects.toBeInstanceOf(UpstreamError);
    await expect(backend().complete({ ...request, model: 'other' }, new AbortController().signal)).rejects.toThrow(/not mapped/);
    model.push({ content: 'a b c d e f', dropAfterChunks: 2, chunkDelayMs: 10 });
    await expect(collect(backend().stream(request, new AbortController().signal))).rejects.toBeInstanceOf(UpstreamError);
  });
});
