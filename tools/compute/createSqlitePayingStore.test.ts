import { describe, expect, it } from 'vitest';
import { createSqlitePayingStore } from './createSqlitePayingStore.js';

const provider = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

describe('createSqlitePayingStore', () => {
  it('keeps channels, sums costs in a time window and remembers distrust', () => {
    const store = createSqlitePayingStore({ path: ':memory:' });
    expect(store.getChannel(1n)).toBeUndefined();
    store.saveChannel({ channelId: 1n, provider, spent: 10n, authorized: 10n ** 30n });
    expect(store.getChannel(1n)).toEqual({ channelId: 1n, provider, spent: 10n, authorized: 10n ** 30n });
    store.recordCall({ channelId: 1n, provider, model: 'm', cost: 4n, maxCost: 9n, spent: 4n, at: 1_000 });
    store.recordCall({ channelId: 1n, provider, model: 'm', cost: 6n, maxCost: 9n, spent: 10n, at: 2_000 });
    expect(store.costSince(0)).toBe(10n);
    expect(store.costSince(1_500)).toBe(6n);
    expect(store.untrusted(provider)).toBeUndefined();
    store.markUntrusted(provider, 'took 5 more');
    expect(store.untrusted(provider.toLowerCase() as `0x${string}`)).toBe('took 5 more');
    expect(store.channels()).toHaveLength(1);
    store.close();
  });
});
