import { describe, expect, it } from 'vitest';
import { decideTreasury } from './decideTreasury.js';
import type { ChannelSnapshot, ProviderSnapshot, TreasuryAction, TreasuryParams, TreasurySnapshot } from './types.js';

const usdx = (value: number) => BigInt(Math.round(value * 1e6));
const now = 10_000_000;
const hour = 3600;
const A = '0xAaAaAaAaaAAAaaaAaAAAaaaAAAaaaAaAaAAaaAAa';
const B = '0xBbBbBBbbBBbBbBbbBbbBBbBbbbBBBBBBbbBbBBBb';
const C = '0xCCCCcCcCCccccCCCCCccccCCCCCCcCCCcCcccCCc';

const provider = (address: `0x${string}`, patch: Partial<ProviderSnapshot> = {}): ProviderSnapshot => ({
  address,
  priceIn: usdx(0.5),
  priceOut: usdx(1.5),
  active: true,
  trusted: true,
  healthy: { successRate: 1, p50LatencyMs: 800, samples: 50 },
  ...patch,
});

const channel = (channelId: bigint, patch: Partial<ChannelSnapshot> = {}): ChannelSnapshot => ({
  channelId,
  provider: A,
  deposit: usdx(30),
  redeemed: 0n,
  spentReported: usdx(6),
  openedAt: now - 24 * hour,
  lastUsedAt: now - 60,
  closesAt: undefined,
  ...patch,
});

// 0.1 gwei and 3000 USDx/ETH: harvest (100k gas) costs 0.03 USDx, request close + finalize 0.036 USDx.
const base: TreasurySnapshot = {
  now,
  pendingYield: 0n,
  tbaBalance: usdx(100),
  tbaEthBalance: 10n ** 18n,
  sessionKeyEthBalance: 5n * 10n ** 16n,
  gasPriceWei: 10n ** 8n,
  gas: { harvest: 100_000n, open: 150_000n, topUp: 80_000n, requestClose: 60_000n, finalize: 60_000n, refillGas: 40_000n },
  ethPriceInToken: usdx(3000),
  channels: [channel(1n)],
  providers: [provider(A), provider(B, { priceIn: usdx(0.4), priceOut: usdx(1) }), provider(C, { trusted: false, priceIn: 1n, priceOut: 1n })],
  burnRatePerHour: usdx(1),
  runwayTargetHours: 24,
  minHarvest: usdx(0.01),
  caps: { dailyBudgetRemaining: usdx(50) },
};

const params: TreasuryParams = {
  transport: 'userop',
  token: { symbol: 'USDx', decimals: 6 },
  harvestGasMultiple: 10n,
  criticalRunwayHours: 2,
  reserve: usdx(1),
  minDeposit: usdx(1),
  idleCloseHours: 72,
  sessionGasFloor: 2n * 10n ** 15n,
  sessionGasTarget: 10n ** 16n,
  tbaEthReserve: 0n,
  minSuccessRate: 0.9,
  maxP50LatencyMs: 30_000,
  minSamples: 5,
  typicalRequest: { tokensIn: 1000n, tokensOut: 500n },
};

type Expected = { action: TreasuryAction; params?: Record<string, unknown>; reason: string[] };
type Row = { name: string; snapshot?: Partial<TreasurySnapshot>; params?: Partial<TreasuryParams>; expected: Expected[] };

const rows: Row[] = [
  { name: 'steady state: runway at target, nothing to harvest', expected: [{ action: 'wait', reason: ['no yield to harvest', 'runway 24 h ≥ target 24 h'] }] },
  {
    name: 'harvest when yield ≥ 10× its gas',
    snapshot: { pendingYield: usdx(0.5) },
    expected: [{ action: 'harvest', params: { pendingYield: usdx(0.5) }, reason: ['0.5 USDx ≥ 10× harvest gas 0.03 USDx'] }],
  },
  { name: 'let small yield grow', snapshot: { pendingYield: usdx(0.2) }, expected: [{ action: 'wait', reason: ['pending yield 0.2 USDx < 10× harvest gas 0.03 USDx'] }] },
  {
    name: 'never harvest below the floor',
    snapshot: { pendingYield: usdx(0.5), minHarvest: usdx(1) },
    expected: [{ action: 'wait', reason: ['pending yield 0.5 USDx < minimum harvest 1 USDx'] }],
  },
  {
    name: 'critically low compute: harvest once yield covers gas, and top up within the daily budget',
    snapshot: { pendingYield: usdx(0.05), channels: [channel(1n, { spentReported: usdx(29.5) })], caps: { dailyBudgetRemaining: usdx(10) } },
    expected: [
      { action: 'harvest', reason: ['critically low', 'runway 0.5 h < 2 h', '0.05 USDx covers harvest gas 0.03 USDx'] },
      { action: 'top_up', params: { channelId: 1n, amount: usdx(10) }, reason: ['runway 0.5 h < target 24 h', 'by 10 USDx', 'capped from 23.5 USDx', 'daily budget left 10 USDx'] },
    ],
  },
  {
    name: 'critically low compute but yield below gas: no harvest',
    snapshot: { pendingYield: usdx(0.02), channels: [channel(1n, { spentReported: usdx(29.5) })] },
    expected: [{ action: 'top_up', params: { channelId: 1n, amount: usdx(23.5) }, reason: ['top up channel #1'] }],
  },
  {
    name: 'runway below target: top up the open channel by the shortfall',
    snapshot: { channels: [channel(1n, { spentReported: usdx(20) })] },
    expected: [{ action: 'top_up', params: { channelId: 1n, provider: A, amount: usdx(14) }, reason: ['runway 10 h < target 24 h', '10 USDx in channels at 1 USDx/h', 'by 14 USDx'] }],
  },
  {
    name: 'small shortfall is rounded up to the minimum deposit',
    snapshot: { channels: [channel(1n, { spentReported: usdx(6.5) })] },
    expected: [{ action: 'top_up', params: { amount: usdx(1) }, reason: ['runway 23.5 h'] }],
  },
  {
    name: 'no channel: open with the cheapest trusted, active, healthy provider',
    snapshot: { channels: [] },
    expected: [{ action: 'open', params: { provider: B, amount: usdx(24) }, reason: ['no usable channel', `${B} is the cheapest of 2 eligible`] }],
  },
  { name: 'zero burn rate with a channel: wait', snapshot: { burnRatePerHour: 0n }, expected: [{ action: 'wait', reason: ['burn rate is zero; runway unlimited with 24 USDx in channels'] }] },
  {
    name: 'zero burn rate without a channel: open the minimum so the agent can think',
    snapshot: { burnRatePerHour: 0n, channels: [] },
    expected: [{ action: 'open', params: { provider: B, amount: usdx(1) }, reason: ['no usable channel (burn 0 USDx/h'] }],
  },
  {
    name: 'no trusted providers',
    snapshot: { channels: [], providers: [provider(A, { trusted: false }), provider(B, { trusted: false })] },
    expected: [{ action: 'wait', reason: ['no trusted, active, healthy provider', `${A} is not trusted`, `${B} is not trusted`] }],
  },
  {
    name: 'bond before trust: an unbonded provider is refused, the bonded one is funded',
    snapshot: { channels: [], providers: [provider(A, { bond: usdx(10) }), provider(B, { priceIn: usdx(0.4), priceOut: usdx(1) })] },
    params: { minProviderBond: usdx(10) },
    expected: [{ action: 'open', params: { provider: A }, reason: ['no usable channel', `${A} is the cheapest of 1 eligible`] }],
  },
  {
    name: 'bond before trust: no provider bonded enough, nothing is opened and the reason names the bond',
    snapshot: { channels: [], providers: [provider(A, { bond: usdx(9.999999) }), provider(B, { bond: 0n })] },
    params: { minProviderBond: usdx(10) },
    expected: [
      {
        action: 'wait',
        reason: [
          `${A} is not bonded enough: its bond of 9999999 token units is below the minimum of 10000000 (agent.minProviderBond)`,
          `${B} is not bonded enough: its bond of 0 token units`,
        ],
      },
    ],
  },
  {
    name: 'bond before trust: a channel with a provider whose bond fell below the minimum is closed',
    snapshot: { providers: [provider(A, { bond: 0n }), provider(B, { bond: usdx(10) })] },
    params: { minProviderBond: usdx(10) },
    expected: [
      { action: 'request_close', params: { channelId: 1n, provider: A }, reason: ['is not bonded enough', 'recover 24 USDx'] },
      { action: 'open', params: { provider: B }, reason: ['no usable channel'] },
    ],
  },
  {
    name: 'no providers at all',
    snapshot: { channels: [], providers: [] },
    expected: [{ action: 'wait', reason: ['no providers are registered'] }],
  },
  {
    name: 'all providers unhealthy',
    snapshot: {
      channels: [],
      providers: [
        provider(A, { healthy: { successRate: 0.5, p50LatencyMs: 800, samples: 20 } }),
        provider(B, { healthy: { successRate: 1, p50LatencyMs: 60_000, samples: 20 } }),
        provider(C, { active: false }),
      ],
    },
    expected: [{ action: 'wait', reason: ['success rate 50.0% < 90.0%', 'median latency 60000 ms > 30000 ms', 'not active'] }],
  },
  {
    name: 'too few calls to judge health: benefit of the doubt',
    snapshot: { channels: [], providers: [provider(A, { healthy: { successRate: 0, p50LatencyMs: 0, samples: 2 } })] },
    expected: [{ action: 'open', params: { provider: A } , reason: ['cheapest of 1 eligible'] }],
  },
  {
    name: 'unhealthy provider of the open channel: open with a healthy one instead of topping up',
    snapshot: {
      channels: [channel(1n, { spentReported: usdx(20) })],
      providers: [provider(A, { healthy: { successRate: 0.2, p50LatencyMs: 900, samples: 30 } }), provider(B)],
    },
    expected: [{ action: 'open', params: { provider: B, amount: usdx(14) }, reason: ['runway 10 h'] }],
  },
  {
    name: 'insufficient balance: the TBA keeps its reserve',
    snapshot: { channels: [], tbaBalance: usdx(1.5) },
    expected: [{ action: 'wait', reason: ['balance is insufficient', 'TBA 1.5 USDx minus reserve 1 USDx leaves 0.5 USDx'] }],
  },
  {
    name: 'daily cap reached',
    snapshot: { channels: [], caps: { dailyBudgetRemaining: 0n } },
    expected: [{ action: 'wait', reason: ['daily compute budget is spent', 'daily budget left 0 USDx'] }],
  },
  {
    name: 'spending capped by the balance',
    snapshot: { channels: [], tbaBalance: usdx(6) },
    expected: [{ action: 'open', params: { provider: B, amount: usdx(5) }, reason: ['capped from 24 USDx', 'leaves 5 USDx'] }],
  },
  {
    name: 'idle channel closed cooperatively while another is in use',
    snapshot: { channels: [channel(1n), channel(2n, { deposit: usdx(5), spentReported: 0n, lastUsedAt: now - 80 * hour })] },
    expected: [{ action: 'close', params: { channelId: 2n, provider: A }, reason: ['channel #2 unused for 80 h (≥ 72 h)', 'recover 5 USDx'] }],
  },
  {
    name: 'never-used channel counts idle time from its opening',
    snapshot: { channels: [channel(1n), channel(2n, { deposit: usdx(5), spentReported: 0n, lastUsedAt: undefined, openedAt: now - 100 * hour })] },
    expected: [{ action: 'close', params: { channelId: 2n }, reason: ['unused for 100 h'] }],
  },
  {
    name: 'the only channel is kept as standby even when idle',
    snapshot: { burnRatePerHour: 0n, channels: [channel(1n, { lastUsedAt: now - 100 * hour })] },
    expected: [{ action: 'wait', reason: ['channel #1 idle for 100 h but kept as the only usable channel', 'burn rate is zero'] }],
  },
  {
    name: 'idle channel with dust is not worth the gas',
    snapshot: { channels: [channel(1n), channel(2n, { deposit: usdx(0.01), spentReported: 0n, lastUsedAt: now - 80 * hour })] },
    expected: [{ action: 'wait', reason: ['channel #2 idle for 80 h, but only 0.01 USDx is left, not worth 0.036 USDx of gas'] }],
  },
  {
    name: 'provider no longer trusted: request close and open elsewhere',
    snapshot: { providers: [provider(A, { trusted: false }), provider(B)] },
    expected: [
      { action: 'request_close', params: { channelId: 1n, provider: A }, reason: ['is not trusted', 'recover 24 USDx'] },
      { action: 'open', params: { provider: B, amount: usdx(24) }, reason: ['no usable channel'] },
    ],
  },
  {
    name: 'provider delisted: request close',
    snapshot: { channels: [channel(1n), channel(5n, { provider: C })], providers: [provider(A)] },
    expected: [{ action: 'request_close', params: { channelId: 5n, provider: C }, reason: ['is no longer listed in the market'] }],
  },
  {
    name: 'redeemed beyond reported spend counts as used',
    snapshot: { providers: [provider(A, { active: false }), provider(B)], channels: [channel(1n, { redeemed: usdx(29) })] },
    expected: [
      { action: 'request_close', reason: ['is no longer active', 'recover 1 USDx'] },
      { action: 'open', params: { provider: B } , reason: [] },
    ],
  },
  {
    name: 'finalize a channel whose challenge window ended',
    snapshot: { channels: [channel(1n), channel(3n, { closesAt: now - 1, spentReported: usdx(10) })] },
    expected: [{ action: 'finalize', params: { channelId: 3n }, reason: [`ended at ${now - 1} (now ${now})`, 'recover 20 USDx'] }],
  },
  {
    name: 'closing channel still in its window: wait',
    snapshot: { channels: [channel(1n), channel(3n, { closesAt: now + 2 * hour })] },
    expected: [{ action: 'wait', reason: ['channel #3 is closing, its window ends in 2 h'] }],
  },
  {
    name: 'direct transport: refill the session key up to target',
    snapshot: { sessionKeyEthBalance: 10n ** 15n },
    params: { transport: 'direct' },
    expected: [{ action: 'refill_gas', params: { amountWei: 9n * 10n ** 15n }, reason: ['0.001 ETH < floor 0.002 ETH', 'send 0.009 ETH'] }],
  },
  {
    name: 'direct transport: refill limited by the TBA ETH reserve',
    snapshot: { sessionKeyEthBalance: 10n ** 15n, tbaEthBalance: 3n * 10n ** 15n },
    params: { transport: 'direct', tbaEthReserve: 2n * 10n ** 15n },
    expected: [{ action: 'refill_gas', params: { amountWei: 10n ** 15n }, reason: [] }],
  },
  { name: 'userop transport: session key gas is not needed', snapshot: { sessionKeyEthBalance: 0n }, expected: [{ action: 'wait', reason: [] }] },
  {
    name: 'direct transport: TBA has no ETH to give',
    snapshot: { sessionKeyEthBalance: 10n ** 15n, tbaEthBalance: 0n },
    params: { transport: 'direct' },
    expected: [{ action: 'wait', reason: ['the TBA has no spare ETH'] }],
  },
  {
    name: 'direct transport: session key cannot pay for its own refill',
    snapshot: { sessionKeyEthBalance: 1000n },
    params: { transport: 'direct' },
    expected: [{ action: 'wait', reason: ['less than the 0.000004 ETH its own refill costs', 'owner must fund it'] }],
  },
  {
    name: 'community: the session ends beyond the renewal lead, nothing to ask',
    snapshot: { governance: { sessionValidUntil: now + 30 * 24 * hour, filedThisPeriod: 0, proposalsPerPeriod: 3, proposalPeriod: 7 * 24 * hour, proposals: [] } },
    expected: [{ action: 'wait', reason: ['runway 24 h ≥ target 24 h'] }],
  },
  {
    name: 'community: the session nears its end, ask for a renewal',
    snapshot: { governance: { sessionValidUntil: now + 3 * 24 * hour, filedThisPeriod: 0, proposalsPerPeriod: 3, proposalPeriod: 7 * 24 * hour, proposals: [] } },
    expected: [{ action: 'propose_to_community', params: { ask: 'renewSession' }, reason: ['in 72 h', 'renewal lead of 168 h', 'renew it'] }],
  },
  {
    name: 'community: the renewal is already before the community, wait',
    snapshot: {
      governance: { sessionValidUntil: now + 3 * 24 * hour, filedThisPeriod: 1, proposalsPerPeriod: 3, proposalPeriod: 7 * 24 * hour, proposals: [{ kind: 'renewSession', open: true, snapshot: now - hour, provider: undefined }] },
    },
    expected: [{ action: 'wait', reason: ['the renewal proposal is before the community'] }],
  },
  {
    name: 'community: a defeated renewal is asked for again',
    snapshot: {
      governance: { sessionValidUntil: now + 3 * 24 * hour, filedThisPeriod: 1, proposalsPerPeriod: 3, proposalPeriod: 7 * 24 * hour, proposals: [{ kind: 'renewSession', open: false, snapshot: now - hour, provider: undefined }] },
    },
    expected: [{ action: 'propose_to_community', params: { ask: 'renewSession' }, reason: [] }],
  },
  {
    name: 'community: the period\'s proposals are filed, wait',
    snapshot: { governance: { sessionValidUntil: now + 3 * 24 * hour, filedThisPeriod: 3, proposalsPerPeriod: 3, proposalPeriod: 7 * 24 * hour, proposals: [] } },
    expected: [{ action: 'wait', reason: ["the charter's 3 proposals this period are filed"] }],
  },
  {
    name: 'community: compute needed, no trusted provider, ask to trust the cheapest active one',
    snapshot: {
      channels: [],
      providers: [provider(A, { trusted: false, priceIn: usdx(1) }), provider(B, { trusted: false }), provider(C, { trusted: false, active: false, priceIn: 1n, priceOut: 1n })],
      governance: { sessionValidUntil: now + 300 * 24 * hour, filedThisPeriod: 0, proposalsPerPeriod: 3, proposalPeriod: 7 * 24 * hour, proposals: [] },
    },
    expected: [{ action: 'propose_to_community', params: { ask: 'trustProvider', provider: B }, reason: ['no usable channel', 'no trusted provider can sell compute', B] }],
  },
  {
    name: 'community: trust for that provider was asked this period, wait',
    snapshot: {
      channels: [],
      providers: [provider(B, { trusted: false })],
      governance: { sessionValidUntil: now + 300 * 24 * hour, filedThisPeriod: 1, proposalsPerPeriod: 3, proposalPeriod: 7 * 24 * hour, proposals: [{ kind: 'trustProvider', open: false, snapshot: now - 24 * hour, provider: B }] },
    },
    expected: [{ action: 'wait', reason: [`trust for ${B} was asked of the community this period`] }],
  },
  {
    name: 'community: both asks in one tick, within the proposals left',
    snapshot: {
      channels: [],
      providers: [provider(B, { trusted: false })],
      governance: { sessionValidUntil: now + 2 * 24 * hour, filedThisPeriod: 1, proposalsPerPeriod: 2, proposalPeriod: 7 * 24 * hour, proposals: [] },
    },
    expected: [{ action: 'propose_to_community', params: { ask: 'renewSession' }, reason: [] }],
  },
  {
    name: 'everything at once, in execution order',
    snapshot: {
      pendingYield: usdx(3),
      sessionKeyEthBalance: 10n ** 15n,
      channels: [channel(1n, { spentReported: usdx(25) }), channel(2n, { lastUsedAt: now - 90 * hour, spentReported: 0n }), channel(3n, { closesAt: now - 10 })],
    },
    params: { transport: 'direct' },
    expected: [
      { action: 'finalize', params: { channelId: 3n }, reason: [] },
      { action: 'close', params: { channelId: 2n }, reason: [] },
      { action: 'refill_gas', reason: [] },
      { action: 'harvest', reason: [] },
      { action: 'top_up', params: { channelId: 1n, amount: usdx(19) }, reason: ['runway 5 h'] },
    ],
  },
];

describe('decideTreasury', () => {
  it.each(rows)('$name', ({ snapshot, params: patch, expected }) => {
    const decisions = decideTreasury({ ...base, ...snapshot }, { ...params, ...patch });
    expect(decisions.map((decision) => decision.action)).toEqual(expected.map((item) => item.action));
    expected.forEach((item, index) => {
      const decision = decisions[index];
      if (item.params) expect(decision?.params).toMatchObject(item.params);
      for (const fragment of item.reason) expect(decision?.reason).toContain(fragment);
      expect(decision?.reason.length).toBeGreaterThan(0);
    });
  });

  it('is deterministic: input order does not change the decisions', () => {
    const snapshot: TreasurySnapshot = {
      ...base,
      channels: [channel(2n, { lastUsedAt: now - 90 * hour }), channel(1n, { spentReported: usdx(25) }), channel(3n, { closesAt: now - 1 })],
    };
    const reversed: TreasurySnapshot = { ...snapshot, channels: [...snapshot.channels].reverse(), providers: [...snapshot.providers].reverse() };
    expect(decideTreasury(reversed, params)).toEqual(decideTreasury(snapshot, params));
    expect(decideTreasury(snapshot, params)).toEqual(decideTreasury(snapshot, params));
  });
});
