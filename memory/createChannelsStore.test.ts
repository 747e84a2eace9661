import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { channelsMigrations, createChannelsStore, UnknownChannelError } from './createChannelsStore.js';
import { openDatabase } from './openDatabase.js';

const provider = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const signer = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';

describe('createChannelsStore', () => {
  it('keeps authorized, spent and redeemed monotonic, and survives reopen', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'y2c-channels-')), 'agent.db');
    let clock = 50;
    const db = openDatabase({ path, migrations: channelsMigrations });
    const channels = createChannelsStore(db, { now: () => clock });
    const id = 2n ** 255n + 7n;
    expect(channels.upsert({ channelId: id, provider: provider.toLowerCase() as `0x${string}`, signer, deposit: 5_000_000n })).toMatchObject({
      channelId: id,
      provider,
      deposit: 5_000_000n,
      authorized: 0n,
      status: 'open',
      openedAt: 50,
      lastUsedAt: undefined,
    });
    channels.upsert({ channelId: 1n, provider, signer, deposit: 1n });
    channels.recordAuthorized(id, 20_000n);
    channels.recordAuthorized(id, 10_000n); // an older total never lowers it
    clock = 60;
    channels.recordSpent(id, 12_000n);
    expect(channels.recordSpent(id, 11_000n)).toMatchObject({ authorized: 20_000n, spent: 12_000n, lastUsedAt: 60 });
    channels.upsert({ channelId: id, provider, signer, deposit: 8_000_000n, redeemed: 12_000n });
    expect(channels.upsert({ channelId: id, provider, signer, deposit: 8_000_000n, redeemed: 0n }).redeemed).toBe(12_000n);
    expect(() => channels.recordAuthorized(99n, 1n)).toThrow(UnknownChannelError);
    expect(() => channels.recordSpent(99n, 1n)).toThrow(UnknownChannelError);
    channels.upsert({ channelId: 1n, provider, signer, deposit: 1n, status: 'closed' });
    db.close();

    const reopened = createChannelsStore(openDatabase({ path, migrations: channelsMigrations }), { now: () => 70 });
    expect(reopened.listOpen().map((channel) => channel.channelId)).toEqual([id]);
    expect(reopened.get(id)).toMatchObject({ deposit: 8_000_000n, authorized: 20_000n, spent: 12_000n, redeemed: 12_000n });
    expect(reopened.upsert({ channelId: id, provider, signer, deposit: 8_000_000n, status: 'closing', closesAt: 1000 })).toMatchObject({ status: 'closing', closesAt: 1000 });
    expect(reopened.listOpen()).toHaveLength(1);
    expect(reopened.list()).toHaveLength(2);
  });
});
