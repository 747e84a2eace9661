import { describe, expect, it } from 'vitest';
import { maxCost, MaxTokensInvalidError } from './maxCost.js';
import { meterCost } from './meterCost.js';
import { promptTokenBound } from './promptTokenBound.js';

const terms = { priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n, defaultMaxTokens: 1024n };
const messages = [{ role: 'user', content: 'hi' }];

describe('maxCost', () => {
  it('bounds the prompt by the UTF-8 bytes of the messages and tools', () => {
    expect(promptTokenBound({ messages })).toBe(BigInt('{"messages":[{"role":"user","content":"hi"}]}'.length));
    expect(promptTokenBound({ messages: [{ role: 'user', content: 'é' }] })).toBe(promptTokenBound({ messages: [{ role: 'user', content: 'ab' }] }));
    expect(promptTokenBound({ messages, tools: [{ type: 'function' }] })).toBeGreaterThan(promptTokenBound({ messages }));
  });

  it('prices the prompt bound and the completion cap, rounding up', () => {
    const prompt = promptTokenBound({ messages });
    expect(maxCost({ messages, max_tokens: 10 }, terms)).toEqual({
      cost: (prompt * 500_000n + 10n * 1_500_000n + 999_999n) / 1_000_000n,
      promptTokens: prompt,
      maxTokens: 10n,
    });
    expect(maxCost({ messages }, terms).maxTokens).toBe(1024n);
    expect(maxCost({ messages, max_tokens: 10, max_completion_tokens: 20 }, terms).maxTokens).toBe(20n);
  });

  it('rejects a cap that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, '10', true]) {
      expect(() => maxCost({ messages, max_tokens: bad }, terms)).toThrow(MaxTokensInvalidError);
    }
  });

  it('meters real usage with one rounding over the sum', () => {
    expect(meterCost({ promptTokens: 12, completionTokens: 30 }, terms)).toBe(51n);
    expect(meterCost({ promptTokens: 1, completionTokens: 0 }, terms)).toBe(1n);
    expect(meterCost({ promptTokens: 0, completionTokens: 0 }, terms)).toBe(0n);
    expect(meterCost({ promptTokens: 2, completionTokens: 0 }, terms)).toBe(1n);
    expect(meterCost({ promptTokens: 3, completionTokens: 0 }, terms)).toBe(2n);
  });
});
