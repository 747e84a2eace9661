import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentMigrations, openAgentMemory } from './openAgentMemory.js';

describe('openAgentMemory', () => {
  it('opens every store over one file, applies migrations once, and keeps data across reopen', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'y2c-memory-')), 'nested', 'agent.db');
    const memory = openAgentMemory(path);
    expect(new Set(agentMigrations.map((m) => m.id)).size).toBe(agentMigrations.length);
    const member = memory.members.touch('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
    const conversation = memory.conversations.create({ member: member.address });
    memory.conversations.addMessage({ conversationId: conversation.id, role: 'user', content: 'hi' });
    memory.summaries.add({ conversationId: conversation.id, uptoMessageId: 1, text: 's' });
    const id = memory.ledger.recordIntent({ kind: 'harvest', reason: 'test' });
    memory.kv.set('k', 'v');
    memory.close();

    const again = openAgentMemory(path);
    expect(again.db.prepare('SELECT count(*) FROM migrations').pluck().get()).toBe(agentMigrations.length);
    expect(again.ledger.listPending().map((entry) => entry.id)).toEqual([id]);
    expect(again.members.count()).toBe(1);
    expect(again.summaries.latest(conversation.id)?.text).toBe('s');
    expect(again.kv.get('k')).toBe('v');
    expect(again.db.pragma('journal_mode', { simple: true })).toBe('wal');
    again.close();
  });
});
