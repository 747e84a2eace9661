import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgentPayingStore } from '../tools/compute/createAgentPayingStore.js';
import { createSqlitePayingStore } from '../tools/compute/createSqlitePayingStore.js';
import { mergeComputeDatabase } from './mergeComputeDatabase.js';
import { openAgentMemory } from './openAgentMemory.js';

const provider = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const signer = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';

describe('mergeComputeDatabase', () => {
  it('merges a previous version\'s compute.db into agent.db once: totals only raised, receipts and distrust kept, the old file moved aside', () => {
    const dir = mkdtempSync(join(tmpdir(), 'y2c-merge-'));
    const computePath = join(dir, 'compute.db');
    // The previous version's data dir: compute.db from the standalone paying store…
    const old = createSqlitePayingStore({ path: computePath });
    old.saveChannel({ channelId: 7n, provider, spent: 12_000n, authorized: 20_000n });
    old.saveChannel({ channelId: 8n, provider, spent: 1n, authorized: 2n });
    old.saveChannel({ channelId: 9n, provider, spent: 5n, authorized: 5n });
    old.markUntrusted('0x0000000000000000000000000000000000000bad', 'lied about its spend');
    old.recordReceipt({ channelId: 7n, provider, requestHash: `0x${'11'.repeat(32)}`, responseHash: `0x${'22'.repeat(32)}`, model: 'm', tokensIn: 3n, tokensOut: 4n, cost: 12_000n, spentAfter: 12_000n, signature: `0x${'33'.repeat(65)}` });
    old.close();
    // … and agent.db of the same version, which knew channels 7 and 8 (8 further along than compute.db).
    const before = openAgentMemory(join(dir, 'agent.db'));
    before.channels.upsert({ channelId: 7n, provider, signer, deposit: 1_000_000n });
    before.channels.upsert({ channelId: 8n, provider, signer, deposit: 1_000_000n });
    before.channels.recordAuthorized(8n, 50n);
    before.channels.recordSpent(8n, 40n);
    before.close();

    const memory = openAgentMemory(join(dir, 'agent.db'));
    const merged = mergeComputeDatabase({ db: memory.db, path: computePath });
    expect(merged).toMatchObject({ merged: true, channels: 2, skippedChannels: ['9'], receipts: 1, untrusted: 1, movedTo: `${computePath}.merged` });
    expect(existsSync(computePath)).toBe(false);
    expect(existsSync(`${computePath}.merged`)).toBe(true);
    const store = createAgentPayingStore({ memory });
    expect(store.getChannel(7n)).toMatchObject({ spent: 12_000n, authorized: 20_000n });
    expect(store.getChannel(8n)).toMatchObject({ spent: 40n, authorized: 50n });
    expect(memory.channels.get(7n)).toMatchObject({ spent: 12_000n, authorized: 20_000n, deposit: 1_000_000n });
    expect(store.untrusted('0x0000000000000000000000000000000000000BAD')).toBe('lied about its spend');
    expect(store.receiptAtStep(7n, 0n)).toMatchObject({ cost: 12_000n, spentAfter: 12_000n });
    // Once: a restart finds nothing to merge.
    expect(mergeComputeDatabase({ db: memory.db, path: computePath }).merged).toBe(false);
    memory.close();
  });
});
