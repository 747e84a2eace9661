import { tool } from '@langchain/core/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fitConversation } from './fitConversation.js';

const bytes = (text: string) => new TextEncoder().encode(text).length;
const bigTool = tool(async () => 'ok', {
  name: 'treasury_status',
  description: 'Reads the treasury. '.repeat(40),
  schema: z.object({ detail: z.string().describe('How much detail to give. '.repeat(10)) }),
});
const smallTool = tool(async () => 'ok', { name: 'recall', description: 'Recalls a note.', schema: z.object({ key: z.string() }) });
const systemPrompt = 'You are y2c. '.repeat(60);
const shortSystemPrompt = 'You are y2c, an agent that pays for its own thinking.';

describe('fitConversation', () => {
  it('changes nothing when the context is unknown', () => {
    const messages = [{ role: 'user' as const, content: 'hi' }];
    const fitted = fitConversation({ systemPrompt, shortSystemPrompt, messages, tools: [bigTool], contextLength: undefined });
    expect(fitted).toMatchObject({ systemPrompt, messages, maxTokens: undefined });
    expect(fitted.tools).toHaveLength(1);
  });

  it('fits a 512-token context: short prompt, no tools that do not fit, the question, the newest history, in bytes', () => {
    const history = Array.from({ length: 20 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', content: `message number ${i} `.repeat(4) }));
    const messages = [...history, { role: 'user' as const, content: 'Tell me a story about a little dog.' }];
    const fitted = fitConversation({ systemPrompt, shortSystemPrompt, messages, tools: [bigTool], contextLength: 512 });
    expect(fitted.maxTokens).toBe(128);
    expect(fitted.tools).toEqual([]);
    expect(fitted.dropped.tools).toBe(true);
    expect(fitted.systemPrompt).toBe(shortSystemPrompt);
    expect(fitted.messages.at(-1)).toEqual(messages.at(-1));
    expect(fitted.messages.length).toBeGreaterThan(1);
    expect(fitted.messages.length).toBeLessThan(messages.length);
    // The kept history is the newest, in order.
    expect(fitted.messages).toEqual(messages.slice(messages.length - fitted.messages.length));
    const used = bytes(fitted.systemPrompt) + fitted.messages.reduce((sum, m) => sum + bytes(m.content) + 8, 8) + 32;
    expect(used + fitted.maxTokens!).toBeLessThanOrEqual(512);
  });

  it('keeps the tools and the full prompt for a model with room', () => {
    const fitted = fitConversation({ systemPrompt, shortSystemPrompt, messages: [{ role: 'user', content: 'hi' }], tools: [bigTool, smallTool], contextLength: 32_768 });
    expect(fitted.tools).toHaveLength(2);
    expect(fitted.systemPrompt).toBe(systemPrompt);
    expect(fitted.maxTokens).toBe(256);
  });

  it('cuts a question too long for the context, on a character boundary', () => {
    const question = 'é'.repeat(1_000);
    const fitted = fitConversation({ systemPrompt, shortSystemPrompt, messages: [{ role: 'user', content: question }], tools: [], contextLength: 512 });
    const kept = fitted.messages[0]!.content;
    expect(fitted.dropped.truncated).toBe(true);
    expect(question.startsWith(kept)).toBe(true);
    expect(kept.length).toBeGreaterThan(50);
    expect(bytes(fitted.systemPrompt) + bytes(kept) + 16 + 32 + fitted.maxTokens!).toBeLessThanOrEqual(512);
  });
});
