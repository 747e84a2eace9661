import type Database from 'better-sqlite3';
import type { Migration } from './openDatabase.js';
import type { StoreOptions } from './types.js';
import { unixNow } from './unixNow.js';

/** Schema of the summaries table (needs the conversations table). */
export const summariesMigrations: readonly Migration[] = [
  {
    id: 'summaries/001-init',
    up: `CREATE TABLE summaries (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
      upto_message_id INTEGER NOT NULL,
      text TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX summaries_conversation ON summaries (conversation_id, upto_message_id);`,
  },
];

/** A summary of a conversation up to (and including) a message. */
export type Summary = {
  id: number;
  conversationId: number;
  /** Last message the summary covers. */
  uptoMessageId: number;
  text: string;
  /** Unix seconds. */
  createdAt: number;
};

type Row = { id: number; conversation_id: number; upto_message_id: number; text: string; created_at: number };

const toSummary = (row: Row): Summary => ({
  id: row.id,
  conversationId: row.conversation_id,
  uptoMessageId: row.upto_message_id,
  text: row.text,
  createdAt: row.created_at,
});

/** The summaries store. */
export type SummariesStore = ReturnType<typeof createSummariesStore>;

/**
 * Summaries of long conversations, so the brain sends the summary plus the messages after it.
 *
 * @param db Database opened with the conversations and {@link summariesMigrations}.
 * @param options Clock.
 * @returns Functions over the summaries table.
 * @example
 * summaries.add({ conversationId, uptoMessageId: 40, text: 'They asked about staking…' })
 * summaries.latest(conversationId)?.text
 */
export function createSummariesStore(db: Database.Database, options: StoreOptions = {}) {
  const now = options.now ?? unixNow;
  const statements = {
    add: db.prepare('INSERT INTO summaries (conversation_id, upto_message_id, text, created_at) VALUES (?, ?, ?, ?)'),
    get: db.prepare('SELECT * FROM summaries WHERE id = ?'),
    latest: db.prepare('SELECT * FROM summaries WHERE conversation_id = ? ORDER BY upto_message_id DESC, id DESC LIMIT 1'),
    list: db.prepare('SELECT * FROM summaries WHERE conversation_id = ? ORDER BY upto_message_id, id'),
  };
  return {
    /** Stores a summary. */
    add: (parameters: { conversationId: number; uptoMessageId: number; text: string }): Summary => {
      const { lastInsertRowid } = statements.add.run(parameters.conversationId, parameters.uptoMessageId, parameters.text, now());
      return toSummary(statements.get.get(Number(lastInsertRowid)) as Row);
    },
    /** The summary covering the most messages, if any. */
    latest: (conversationId: number): Summary | undefined => {
      const row = statements.latest.get(conversationId) as Row | undefined;
      return row && toSummary(row);
    },
    /** Every summary of a conversation, oldest coverage first. */
    list: (conversationId: number): Summary[] => (statements.list.all(conversationId) as Row[]).map(toSummary),
  };
}
