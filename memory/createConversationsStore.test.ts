import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversationsMigrations, createConversationsStore } from './createConversationsStore.js';
import { createSummariesStore, summariesMigrations } from './createSummariesStore.js';
import { openDatabase } from './openDatabase.js';

const alice = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const bob = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const migrations = [...conversationsMigrations, ...summariesMigrations];

describe('createConversationsStore and createSummariesStore', () => {
  it('keeps conversations, messages and summaries per member across reopen', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'y2c-conv-')), 'agent.db');
    let clock = 100;
    const db = openDatabase({ path, migrations });
    const conversations = createConversationsStore(db, { now: () => clock++ });
    const summaries = createSummariesStore(db, { now: () => clock });
    const first = conversations.create({ member: alice, title: 'staking' });
    const second = conversations.create({ member: alice });
    const other = conversations.create({ member: bob });
    for (let i = 0; i < 5; i++) conversations.addMessage({ conversationId: first.id, role: i % 2 ? 'assistant' : 'user', content: `m${i}`, tokensIn: i, tokensOut: 2 * i, cost: BigInt(i) * 10n });
    conversations.addMessage({ conversationId: other.id, role: 'user', content: 'bob' });
    const last = conversations.addMessage({ conversationId: second.id, role: 'user', content: 'again' });
    expect(last).toMatchObject({ role: 'user', content: 'again', tokensIn: 0, cost: 0n });
    expect(() => conversations.addMessage({ conversationId: first.id, role: 'robot' as 'user', content: 'x' })).toThrow();
    expect(() => conversations.addMessage({ conversationId: 999, role: 'user', content: 'x' })).toThrow();

    expect(conversations.recentMessages(first.id, 2).map((m) => m.content)).toEqual(['m3', 'm4']);
    expect(conversations.recentMessages(first.id, 2)[1]).toMatchObject({ tokensIn: 4, tokensOut: 8, cost: 40n });
    expect(conversations.listByMember(alice).map((c) => c.id)).toEqual([second.id, first.id]);
    expect(conversations.recentByMember(alice, 3).map((m) => m.content)).toEqual(['m3', 'm4', 'again']);
    expect(conversations.countMessages(first.id)).toBe(5);

    const upto = conversations.recentMessages(first.id, 3)[0]?.id as number;
    summaries.add({ conversationId: first.id, uptoMessageId: upto - 1, text: 'old' });
    summaries.add({ conversationId: first.id, uptoMessageId: upto, text: 'newer' });
    db.close();

    const again = openDatabase({ path, migrations });
    const reopened = createConversationsStore(again);
    const summary = createSummariesStore(again).latest(first.id);
    expect(summary?.text).toBe('newer');
    expect(reopened.messagesAfter(first.id, summary?.uptoMessageId ?? 0).map((m) => m.content)).toEqual(['m3', 'm4']);
    expect(createSummariesStore(again).list(first.id)).toHaveLength(2);
    expect(reopened.get(first.id)?.title).toBe('staking');
    expect(createSummariesStore(again).latest(other.id)).toBeUndefined();
  });
});
