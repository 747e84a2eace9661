import { describe, expect, it } from 'vitest';
import { readServerSentEvents } from './readServerSentEvents.js';

const body = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });

describe('readServerSentEvents', () => {
  it('joins events split across reads, skips comments, handles CRLF and stops at [DONE]', async () => {
    const seen: string[] = [];
    for await (const data of readServerSentEvents(body(': keep-alive\n\nda', 'ta: {"a":1}\r\n\r\ndata: {"b"', ':2}\n\ndata: [DONE]\n\ndata: {"late":1}\n\n'))) {
      seen.push(data);
    }
    expect(seen).toEqual(['{"a":1}', '{"b":2}']);
  });
});
