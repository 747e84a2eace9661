import { describe, expect, it } from 'vitest';
import { channelAvailable } from './channelAvailable.js';
import { chooseProvider } from './chooseProvider.js';
import { gasCostInToken } from './gasCostInToken.js';
import { providerEligibility } from './providerEligibility.js';
import { runwayHours } from './runwayHours.js';
import type { ProviderSnapshot } from './types.js';

const thresholds = { minSuccessRate: 0.9, maxP50LatencyMs: 1000, minSamples: 5, typicalRequest: { tokensIn: 1000n, tokensOut: 500n } };
const provider = (address: `0x${string}`, patch: Partial<ProviderSnapshot> = {}): ProviderSnapshot => ({
  address,
  priceIn: 100n,
  priceOut: 200n,
  active: true,
  trusted: true,
  healthy: { successRate: 1, p50LatencyMs: 500, samples: 10 },
  ...patch,
});
const A = '0x000000000000000000000000000000000000000A';
const B = '0x000000000000000000000000000000000000000b';

describe('gasCostInToken', () => {
  it.each([
    { gas: 100_000n, gasPriceWei: 1_000_000_000n, ethPriceInToken: 3_000_000_000n, expected: 300_000n },
    { gas: 0n, gasPriceWei: 1_000_000_000n, ethPriceInToken: 3_000_000_000n, expected: 0n },
    { gas: 1n, gasPriceWei: 1n, ethPriceInToken: 1n, expected: 1n }, // rounded up, never free
    { gas: 21_000n, gasPriceWei: 10n ** 8n, ethPriceInToken: 0n, expected: 0n },
  ])('$gas gas at $gasPriceWei wei → $expected', ({ expected, ...parameters }) => {
    expect(gasCostInToken(parameters)).toBe(expected);
  });
});

describe('runwayHours', () => {
  it.each([
    { channelBalance: 12_000_000n, burnRatePerHour: 500_000n, expected: 24 },
    { channelBalance: 1n, burnRatePerHour: 3n, expected: 0.333 },
    { channelBalance: 0n, burnRatePerHour: 1n, expected: 0 },
    { channelBalance: 5n, burnRatePerHour: 0n, expected: Number.POSITIVE_INFINITY },
    { channelBalance: 0n, burnRatePerHour: 0n, expected: Number.POSITIVE_INFINITY },
  ])('$channelBalance at $burnRatePerHour/h → $expected h', ({ expected, ...parameters }) => {
    expect(runwayHours(parameters)).toBe(expected);
  });
});

describe('channelAvailable', () => {
  it.each([
    { deposit: 10n, redeemed: 2n, spentReported: 3n, expected: 7n },
    { deposit: 10n, redeemed: 4n, spentReported: 3n, expected: 6n },
    { deposit: 10n, redeemed: 0n, spentReported: 12n, expected: 0n },
    { deposit: 0n, redeemed: 0n, spentReported: 0n, expected: 0n },
  ])('deposit $deposit, redeemed $redeemed, spent $spentReported → $expected', ({ expected, ...channel }) => {
    expect(channelAvailable(channel)).toBe(expected);
  });
});

describe('providerEligibility', () => {
  it.each([
    { name: 'healthy', patch: {}, eligible: true, why: undefined },
    { name: 'untrusted', patch: { trusted: false }, eligible: false, why: 'not trusted' },
    { name: 'inactive', patch: { active: false }, eligible: false, why: 'not active' },
    { name: 'failing', patch: { healthy: { successRate: 0.5, p50LatencyMs: 100, samples: 10 } }, eligible: false, why: 'success rate 50.0%' },
    { name: 'slow', patch: { healthy: { successRate: 1, p50LatencyMs: 5000, samples: 10 } }, eligible: false, why: 'median latency 5000 ms' },
    { name: 'too new to judge', patch: { healthy: { successRate: 0, p50LatencyMs: 0, samples: 4 } }, eligible: true, why: undefined },
  ])('$name', ({ patch, eligible, why }) => {
    const verdict = providerEligibility({ provider: provider(A, patch), params: thresholds });
    expect(verdict.eligible).toBe(eligible);
    if (why) expect(verdict.why).toContain(why);
  });
});

describe('chooseProvider', () => {
  it.each([
    { name: 'no providers', providers: [], expected: undefined, reason: 'no providers are registered' },
    { name: 'cheapest wins', providers: [provider(A), provider(B, { priceOut: 100n })], expected: B, reason: 'cheapest of 2' },
    {
      name: 'equal price: higher success rate',
      providers: [provider(A, { healthy: { successRate: 0.95, p50LatencyMs: 100, samples: 10 } }), provider(B)],
      expected: B,
      reason: '',
    },
    {
      name: 'equal price and success: lower latency',
      providers: [provider(A, { healthy: { successRate: 1, p50LatencyMs: 900, samples: 10 } }), provider(B, { healthy: { successRate: 1, p50LatencyMs: 100, samples: 10 } })],
      expected: B,
      reason: '',
    },
    { name: 'all equal: lowest address', providers: [provider(B), provider(A)], expected: A, reason: '' },
    { name: 'cheap but untrusted is skipped', providers: [provider(A, { trusted: false, priceIn: 0n }), provider(B)], expected: B, reason: 'cheapest of 1' },
    { name: 'none eligible', providers: [provider(A, { trusted: false }), provider(B, { active: false })], expected: undefined, reason: 'no trusted, active, healthy provider' },
  ])('$name', ({ providers, expected, reason }) => {
    const choice = chooseProvider({ providers, params: thresholds });
    expect(choice.provider?.address).toBe(expected);
    expect(choice.reason).toContain(reason);
  });
});
