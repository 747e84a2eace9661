import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMembersStore, membersMigrations } from './createMembersStore.js';
import { openDatabase } from './openDatabase.js';

const alice = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const bob = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';

describe('createMembersStore', () => {
  it('tracks members, telegram links and quota across reopen', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'y2c-members-')), 'agent.db');
    let clock = 1000;
    const db = openDatabase({ path, migrations: membersMigrations });
    const members = createMembersStore(db, { now: () => clock });
    expect(members.get(alice)).toBeUndefined();
    expect(members.touch(alice.toLowerCase() as `0x${string}`)).toEqual({ address: alice, firstSeen: 1000, lastSeen: 1000, telegramId: undefined, quotaUsed: 0n });
    clock = 2000;
    expect(members.touch(alice).lastSeen).toBe(2000);
    expect(members.addQuotaUsed(alice, 1_500n)).toBe(1_500n);
    expect(members.addQuotaUsed(alice, 10n ** 30n)).toBe(10n ** 30n + 1_500n);
    expect(() => members.addQuotaUsed(alice, -1n)).toThrow(RangeError);
    members.linkTelegram(alice, '42');
    expect(members.getByTelegram('42')?.address).toBe(alice);
    // A telegram id moves to the member who links it last.
    members.linkTelegram(bob, '42');
    expect(members.getByTelegram('42')?.address).toBe(bob);
    expect(members.get(alice)?.telegramId).toBeUndefined();
    members.linkTelegram(bob, undefined);
    expect(members.getByTelegram('42')).toBeUndefined();
    db.close();

    const again = createMembersStore(openDatabase({ path, migrations: membersMigrations }));
    expect(again.count()).toBe(2);
    expect(again.get(alice)).toMatchObject({ firstSeen: 1000, lastSeen: 2000, quotaUsed: 10n ** 30n + 1_500n });
    expect(again.list(1).map((member) => member.address)).toEqual([bob]);
  });
});
