import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { getAddress, type Address } from 'viem';
import { nowSeconds } from '../../core/clock.js';

/** A member's long-lived API key, as listed (the key itself is shown once, at minting). */
export type ApiKeyInfo = {
  /** Public id (the key's first characters), used to revoke it. */
  id: string;
  address: Address;
  /** The member's label for it. */
  label: string;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds of the last request made with it, or null. */
  lastUsedAt: number | null;
};

/** Parameters of {@link createApiKeyStore}. */
export type CreateApiKeyStoreParameters = {
  /** The agent's database (the `member_api_keys` table is created if missing). */
  db: Database.Database;
  /** Most live keys per member (default 10). */
  maxKeysPerMember?: number;
  /** Clock in unix seconds. */
  now?: () => number;
};

/** Return type of {@link createApiKeyStore}. */
export type CreateApiKeyStoreReturnType = {
  /** Mints a key for `address`: returns it once (stored only as its SHA-256); undefined past the per-member cap. */
  mint: (address: Address, label: string) => { key: string; info: ApiKeyInfo } | undefined;
  /** The owner of a live key, or undefined when unknown or revoked. */
  get: (key: string) => { address: Address; id: string } | undefined;
  /** The member's live keys. */
  list: (address: Address) => ApiKeyInfo[];
  /** Revokes one of the member's keys; false when they have no such key. */
  revoke: (address: Address, id: string) => boolean;
};

/** Keys start with this prefix, so they are told apart from session tokens (and found by secret scanners). */
export const apiKeyPrefix = 'y2c_';

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

type Row = { id: string; address: string; label: string; created_at: number; last_used_at: number | null };

/**
 * Members' API keys in SQLite: `y2c_` + 256 random bits, minted after Sign-In with Ethereum, stored
 * only hashed, valid until the member revokes them. A key authenticates the member API (`/v1`) and
 * the MCP server exactly as a session token would; the pass and quota are still checked per request.
 *
 * @param parameters Database, cap and clock.
 * @returns `mint`, `get`, `list`, `revoke`.
 * @example
 * const keys = createApiKeyStore({ db: memory.db })
 * const { key } = keys.mint(address, 'laptop')!
 * keys.get(key)?.address
 */
export function createApiKeyStore(parameters: CreateApiKeyStoreParameters): CreateApiKeyStoreReturnType {
  const { db } = parameters;
  const cap = parameters.maxKeysPerMember ?? 10;
  const now = parameters.now ?? nowSeconds;
  db.exec(`CREATE TABLE IF NOT EXISTS member_api_keys (
    key_hash TEXT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    address TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
  )`);
  const statements = {
    insert: db.prepare('INSERT INTO member_api_keys (key_hash, id, address, label, created_at) VALUES (?, ?, ?, ?, ?)'),
    get: db.prepare('SELECT id, address FROM member_api_keys WHERE key_hash = ?'),
    touch: db.prepare('UPDATE member_api_keys SET last_used_at = ? WHERE key_hash = ?'),
    count: db.prepare('SELECT COUNT(*) AS n FROM member_api_keys WHERE address = ?'),
    list: db.prepare('SELECT id, address, label, created_at, last_used_at FROM member_api_keys WHERE address = ? ORDER BY created_at, id'),
    remove: db.prepare('DELETE FROM member_api_keys WHERE address = ? AND id = ?'),
  };
  const toInfo = (row: Row): ApiKeyInfo => ({ id: row.id, address: row.address as Address, label: row.label, createdAt: row.created_at, lastUsedAt: row.last_used_at });
  return {
    mint: (address, label) => {
      const owner = getAddress(address);
      if ((statements.count.get(owner) as { n: number }).n >= cap) return undefined;
      const key = `${apiKeyPrefix}${randomBytes(32).toString('base64url')}`;
      const id = key.slice(0, apiKeyPrefix.length + 8);
      const at = now();
      statements.insert.run(hashKey(key), id, owner, label, at);
      return { key, info: { id, address: owner, label, createdAt: at, lastUsedAt: null } };
    },
    get: (key) => {
      const hash = hashKey(key);
      const row = statements.get.get(hash) as { id: string; address: string } | undefined;
      if (!row) return undefined;
      statements.touch.run(now(), hash);
      return { address: row.address as Address, id: row.id };
    },
    list: (address) => (statements.list.all(getAddress(address)) as Row[]).map(toInfo),
    revoke: (address, id) => statements.remove.run(getAddress(address), id).changes > 0,
  };
}
