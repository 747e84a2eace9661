import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { getAddress, type Address } from 'viem';
import { nowSeconds } from '../../core/clock.js';

/** A signed-in member's session. */
export type ChatSession = {
  address: Address;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds. */
  expiresAt: number;
};

/** Parameters of {@link createSessionStore}. */
export type CreateSessionStoreParameters = {
  /** The agent's database (the `chat_sessions` table is created if missing). */
  db: Database.Database;
  /** Session lifetime in seconds (default 24 h). */
  ttlSeconds?: number;
  /** Clock in unix seconds. */
  now?: () => number;
};

/** Return type of {@link createSessionStore}. */
export type CreateSessionStoreReturnType = {
  /** Starts a session; returns the bearer token (shown once, stored only as its SHA-256). */
  create: (address: Address) => { token: string; session: ChatSession };
  /** The live session of a token, or undefined when unknown or expired. */
  get: (token: string) => ChatSession | undefined;
  /** Ends a session. */
  revoke: (token: string) => void;
};

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Chat sessions in SQLite: random 256-bit bearer tokens, stored hashed, expiring.
 *
 * @param parameters Database, lifetime, clock.
 * @returns `create`, `get`, `revoke`.
 * @example
 * const sessions = createSessionStore({ db: memory.db })
 * const { token } = sessions.create(address)
 * sessions.get(token)?.address
 */
export function createSessionStore(parameters: CreateSessionStoreParameters): CreateSessionStoreReturnType {
  const { db } = parameters;
  const ttl = parameters.ttlSeconds ?? 86_400;
  const now = parameters.now ?? nowSeconds;
  db.exec(`CREATE TABLE IF NOT EXISTS chat_sessions (
    token_hash TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  )`);
  const statements = {
    insert: db.prepare('INSERT INTO chat_sessions (token_hash, address, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    get: db.prepare('SELECT address, created_at, expires_at FROM chat_sessions WHERE token_hash = ? AND expires_at > ?'),
    remove: db.prepare('DELETE FROM chat_sessions WHERE token_hash = ?'),
    sweep: db.prepare('DELETE FROM chat_sessions WHERE expires_at <= ?'),
  };
  return {
    create: (address) => {
      const at = now();
      statements.sweep.run(at);
      const token = randomBytes(32).toString('base64url');
      const session: ChatSession = { address: getAddress(address), createdAt: at, expiresAt: at + ttl };
      statements.insert.run(hashToken(token), session.address, session.createdAt, session.expiresAt);
      return { token, session };
    },
    get: (token) => {
      const row = statements.get.get(hashToken(token), now()) as { address: string; created_at: number; expires_at: number } | undefined;
      return row && { address: row.address as Address, createdAt: row.created_at, expiresAt: row.expires_at };
    },
    revoke: (token) => void statements.remove.run(hashToken(token)),
  };
}
