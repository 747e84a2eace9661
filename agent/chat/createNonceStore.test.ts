import { describe, expect, it } from 'vitest';
import { createNonceStore } from './createNonceStore.js';

describe('createNonceStore', () => {
  it('issues distinct alphanumeric nonces of at least 8 characters, each consumable once', () => {
    const nonces = createNonceStore();
    const a = nonces.issue().nonce;
    const b = nonces.issue().nonce;
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[a-zA-Z0-9]{8,}$/);
    expect(nonces.isLive(a)).toBe(true);
    expect(nonces.consume(a)).toBe(true);
    expect(nonces.consume(a)).toBe(false);
    expect(nonces.isLive(a)).toBe(false);
    expect(nonces.consume('never-issued')).toBe(false);
  });

  it('expires nonces and drops the oldest past the bound', () => {
    let now = 1_000_000;
    const nonces = createNonceStore({ ttlSeconds: 10, maxOutstanding: 2, now: () => now });
    const first = nonces.issue().nonce;
    const second = nonces.issue().nonce;
    const third = nonces.issue().nonce;
    expect(nonces.isLive(first)).toBe(false);
    expect(nonces.isLive(second)).toBe(true);
    now += 10_000;
    expect(nonces.consume(third)).toBe(false);
  });
});
