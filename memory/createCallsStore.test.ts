import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callsMigrations, createCallsStore } from './createCallsStore.js';
import { openDatabase } from './openDatabase.js';

const fast = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const slow = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';
const alice = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

describe('createCallsStore', () => {
  it('sums spend per period and member and derives provider stats, across reopen', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'y2c-calls-')), 'agent.db');
    let clock = 1000;
    const db = openDatabase({ path, migrations: callsMigrations });
    const calls = createCallsStore(db, { now: () => clock });
    calls.record({ provider: fast, channelId: 1n, member: alice, model: 'y2c-chat', tokensIn: 10, tokensOut: 5, cost: 100n, latencyMs: 100, ok: true });
    calls.record({ provider: fast, channelId: 1n, model: 'y2c-chat', cost: 50n, latencyMs: 300, ok: true });
    clock = 2000;
    calls.record({ provider: fast, channelId: 1n, member: alice, model: 'y2c-chat', cost: 7n, latencyMs: 200.4, ok: true });
    calls.record({ provider: slow, model: 'y2c-chat', latencyMs: 30_000, ok: false, error: 'timeout' });
    expect(() => calls.record({ provider: slow, model: 'm', latencyMs: 1, ok: true, cost: -1n })).toThrow(RangeError);
    db.close();

    const reopened = createCallsStore(openDatabase({ path, migrations: callsMigrations }));
    expect(reopened.spendSince({ since: 0 })).toBe(157n);
    expect(reopened.spendSince({ since: 1500 })).toBe(7n);
    expect(reopened.spendSince({ since: 0, member: alice })).toBe(107n);
    expect(reopened.spendSince({ since: 5000 })).toBe(0n);
    expect(reopened.providerStats()).toEqual([
      { provider: slow, calls: 1, failures: 1, successRate: 0, p50LatencyMs: 0, spend: 0n },
      { provider: fast, calls: 3, failures: 0, successRate: 1, p50LatencyMs: 200, spend: 157n },
    ].sort((a, b) => a.provider.localeCompare(b.provider)));
    expect(reopened.providerStats(1500).find((stats) => stats.provider === fast)).toMatchObject({ calls: 1, spend: 7n });
    expect(reopened.listRecent(1)[0]).toMatchObject({ provider: slow, ok: false, error: 'timeout', channelId: undefined, member: undefined });
  });
});
