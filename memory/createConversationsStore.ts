import type Database from 'better-sqlite3';
import { getAddress, type Address } from 'viem';
import type { Migration } from './openDatabase.js';
import type { StoreOptions } from './types.js';
import { unixNow } from './unixNow.js';

/** Schema of the conversations and messages tables. */
export const conversationsMigrations: readonly Migration[] = [
  {
    id: 'conversations/001-init',
    up: `CREATE TABLE conversations (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      member TEXT NOT NULL,
      title TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX conversations_member ON conversations (member, updated_at);
    CREATE TABLE messages (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
      role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
      content TEXT NOT NULL,
      tokens_in INTEGER NOT NULL DEFAULT 0,
      tokens_out INTEGER NOT NULL DEFAULT 0,
      cost TEXT NOT NULL DEFAULT '0',
      created_at INTEGER NOT NULL
    );
    CREATE INDEX messages_conversation ON messages (conversation_id, id);`,
  },
];

/** A conversation of one member with the agent. */
export type Conversation = {
  id: number;
  member: Address;
  title: string | undefined;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds of the latest message. */
  updatedAt: number;
};

/** Who wrote a message. */
export type MessageRole = 'system' | 'user' | 'assistant' | 'tool';

/** One message of a conversation. */
export type Message = {
  id: number;
  conversationId: number;
  role: MessageRole;
  content: string;
  tokensIn: number;
  tokensOut: number;
  /** Payment token units spent to produce it. */
  cost: bigint;
  /** Unix seconds. */
  createdAt: number;
};

/** Input of `addMessage`. */
export type AddMessageParameters = {
  conversationId: number;
  role: MessageRole;
  content: string;
  tokensIn?: number;
  tokensOut?: number;
  cost?: bigint;
};

type ConversationRow = { id: number; member: string; title: string | null; created_at: number; updated_at: number };
type MessageRow = {
  id: number;
  conversation_id: number;
  role: MessageRole;
  content: string;
  tokens_in: number;
  tokens_out: number;
  cost: string;
  created_at: number;
};

const toConversation = (row: ConversationRow): Conversation => ({
  id: row.id,
  member: row.member as Address,
  title: row.title ?? undefined,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  conversationId: row.conversation_id,
  role: row.role,
  content: row.content,
  tokensIn: row.tokens_in,
  tokensOut: row.tokens_out,
  cost: BigInt(row.cost),
  createdAt: row.created_at,
});

/** The conversations store. */
export type ConversationsStore = ReturnType<typeof createConversationsStore>;

/**
 * Conversations of members with the agent and their messages, with token counts and cost.
 *
 * @param db Database opened with {@link conversationsMigrations}.
 * @param options Clock.
 * @returns Functions over the conversations and messages tables.
 * @example
 * const conversations = createConversationsStore(db)
 * const { id } = conversations.create({ member })
 * conversations.addMessage({ conversationId: id, role: 'user', content: 'hello' })
 */
export function createConversationsStore(db: Database.Database, options: StoreOptions = {}) {
  const now = options.now ?? unixNow;
  const statements = {
    create: db.prepare('INSERT INTO conversations (member, title, created_at, updated_at) VALUES (?, ?, ?, ?)'),
    get: db.prepare('SELECT * FROM conversations WHERE id = ?'),
    byMember: db.prepare('SELECT * FROM conversations WHERE member = ? ORDER BY updated_at DESC, id DESC LIMIT ?'),
    bump: db.prepare('UPDATE conversations SET updated_at = MAX(updated_at, ?) WHERE id = ?'),
    setTitle: db.prepare('UPDATE conversations SET title = ? WHERE id = ?'),
    addMessage: db.prepare(
      `INSERT INTO messages (conversation_id, role, content, tokens_in, tokens_out, cost, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    message: db.prepare('SELECT * FROM messages WHERE id = ?'),
    recent: db.prepare('SELECT * FROM (SELECT * FROM messages WHERE conversation_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id'),
    after: db.prepare('SELECT * FROM messages WHERE conversation_id = ? AND id > ? ORDER BY id LIMIT ?'),
    recentByMember: db.prepare(
      `SELECT * FROM (
         SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE c.member = ? ORDER BY m.id DESC LIMIT ?
       ) ORDER BY id`,
    ),
    count: db.prepare('SELECT count(*) FROM messages WHERE conversation_id = ?').pluck(),
  };
  const get = (id: number): Conversation | undefined => {
    const row = statements.get.get(id) as ConversationRow | undefined;
    return row && toConversation(row);
  };
  return {
    /** Starts a conversation for a member. */
    create: (parameters: { member: Address; title?: string }): Conversation => {
      const at = now();
      const { lastInsertRowid } = statements.create.run(getAddress(parameters.member), parameters.title ?? null, at, at);
      return get(Number(lastInsertRowid)) as Conversation;
    },
    /** The conversation with this id, if any. */
    get,
    /** Sets the title. */
    setTitle: (id: number, title: string): void => void statements.setTitle.run(title, id),
    /** A member's conversations, most recently active first. */
    listByMember: (member: Address, limit = 20): Conversation[] =>
      (statements.byMember.all(getAddress(member), limit) as ConversationRow[]).map(toConversation),
    /** Appends a message and marks the conversation active. */
    addMessage: db.transaction((parameters: AddMessageParameters): Message => {
      const at = now();
      const cost = parameters.cost ?? 0n;
      if (cost < 0n) throw new RangeError(`addMessage: cost must be ≥ 0, got ${cost}`);
      const { lastInsertRowid } = statements.addMessage.run(
        parameters.conversationId,
        parameters.role,
        parameters.content,
        parameters.tokensIn ?? 0,
        parameters.tokensOut ?? 0,
        cost.toString(),
        at,
      );
      statements.bump.run(at, parameters.conversationId);
      return toMessage(statements.message.get(Number(lastInsertRowid)) as MessageRow);
    }),
    /** The latest `limit` messages of a conversation, oldest first. */
    recentMessages: (conversationId: number, limit = 50): Message[] => (statements.recent.all(conversationId, limit) as MessageRow[]).map(toMessage),
    /** Messages after a given id (e.g. after a summary), oldest first. */
    messagesAfter: (conversationId: number, afterId: number, limit = 1000): Message[] =>
      (statements.after.all(conversationId, afterId, limit) as MessageRow[]).map(toMessage),
    /** The latest `limit` messages of a member across conversations, oldest first. */
    recentByMember: (member: Address, limit = 50): Message[] => (statements.recentByMember.all(getAddress(member), limit) as MessageRow[]).map(toMessage),
    /** How many messages a conversation has. */
    countMessages: (conversationId: number): number => statements.count.get(conversationId) as number,
  };
}
