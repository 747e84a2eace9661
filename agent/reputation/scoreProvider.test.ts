import { describe, expect, it } from 'vitest';
import { scoreProvider } from './scoreProvider.js';

describe('scoreProvider', () => {
  const base = { successRate: 1, p50LatencyMs: 0, ledgerMatched: true, maxP50LatencyMs: 1_000 };
  it('a perfect provider scores 100', () => expect(scoreProvider(base)).toBe(100));
  it('a ledger mismatch scores 0 whatever else', () => expect(scoreProvider({ ...base, ledgerMatched: false })).toBe(0));
  it('success weighs 70, latency 30 (none at twice the bound)', () => {
    expect(scoreProvider({ ...base, successRate: 0.5 })).toBe(65);
    expect(scoreProvider({ ...base, p50LatencyMs: 1_000 })).toBe(85);
    expect(scoreProvider({ ...base, p50LatencyMs: 5_000 })).toBe(70);
    expect(scoreProvider({ ...base, successRate: 0, p50LatencyMs: 5_000 })).toBe(0);
  });
  it('clamps out-of-range inputs', () => {
    expect(scoreProvider({ ...base, successRate: 2, p50LatencyMs: -5 })).toBe(100);
    expect(scoreProvider({ ...base, maxP50LatencyMs: 0, p50LatencyMs: 1 })).toBe(85);
  });
});
