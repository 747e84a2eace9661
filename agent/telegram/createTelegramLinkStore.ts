import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { getAddress, type Address } from 'viem';
import { nowSeconds } from '../../core/clock.js';

/** Parameters of {@link createTelegramLinkStore}. */
export type CreateTelegramLinkStoreParameters = {
  /** The agent's database (tables `telegram_link_codes`, `telegram_links` created if missing). */
  db: Database.Database;
  /** How long a link code is valid, seconds (default 10 minutes). */
  codeTtlSeconds?: number;
  /** Clock in unix seconds. */
  now?: () => number;
};

/** Return type of {@link createTelegramLinkStore}. */
export type CreateTelegramLinkStoreReturnType = {
  /** A one-time code for a signed-in member (stored hashed; a new code replaces their earlier ones). */
  issueCode: (address: Address) => { code: string; expiresAt: number };
  /** Consumes a code and links the Telegram user to its member; undefined when unknown, used or expired. */
  redeem: (code: string, telegramUserId: number) => Address | undefined;
  /** Invalidates a code without linking (it was exposed); true when it was live. */
  burn: (code: string) => boolean;
  /** The member a Telegram user is linked to. */
  memberOf: (telegramUserId: number) => Address | undefined;
  /** Removes a Telegram user's link; true when there was one. */
  unlink: (telegramUserId: number) => boolean;
};

const hash = (code: string) => createHash('sha256').update(code).digest('hex');

/**
 * Links between Telegram accounts and members, in SQLite. A member signed in with Ethereum (the
 * page or `y2c chat --link`) asks for a one-time code; sending `/link <code>` to the bot from a
 * Telegram account links that account to the member's address (one address per Telegram user; a
 * new link replaces the old). Codes are 72 random bits, single-use, valid 10 minutes, stored hashed.
 *
 * @param parameters Database, code lifetime, clock.
 * @returns `issueCode`, `redeem`, `burn`, `memberOf`, `unlink`.
 * @example
 * const links = createTelegramLinkStore({ db: memory.db })
 * const { code } = links.issueCode(address)   // shown to the signed-in member
 * links.redeem(code, ctx.from.id)             // in the bot, on "/link <code>"
 */
export function createTelegramLinkStore(parameters: CreateTelegramLinkStoreParameters): CreateTelegramLinkStoreReturnType {
  const { db } = parameters;
  const ttl = parameters.codeTtlSeconds ?? 600;
  const now = parameters.now ?? nowSeconds;
  db.exec(`CREATE TABLE IF NOT EXISTS telegram_link_codes (
    code_hash TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS telegram_links (
    telegram_user_id INTEGER PRIMARY KEY,
    address TEXT NOT NULL,
    linked_at INTEGER NOT NULL
  )`);
  const statements = {
    clearFor: db.prepare('DELETE FROM telegram_link_codes WHERE address = ? OR expires_at <= ?'),
    insertCode: db.prepare('INSERT INTO telegram_link_codes (code_hash, address, expires_at) VALUES (?, ?, ?)'),
    takeCode: db.prepare('DELETE FROM telegram_link_codes WHERE code_hash = ? AND expires_at > ? RETURNING address'),
    link: db.prepare('INSERT INTO telegram_links (telegram_user_id, address, linked_at) VALUES (?, ?, ?) ON CONFLICT (telegram_user_id) DO UPDATE SET address = excluded.address, linked_at = excluded.linked_at'),
    memberOf: db.prepare('SELECT address FROM telegram_links WHERE telegram_user_id = ?'),
    unlink: db.prepare('DELETE FROM telegram_links WHERE telegram_user_id = ?'),
  };
  return {
    issueCode: (address) => {
      const owner = getAddress(address);
      const at = now();
      statements.clearFor.run(owner, at);
      const code = randomBytes(9).toString('base64url');
      statements.insertCode.run(hash(code), owner, at + ttl);
      return { code, expiresAt: at + ttl };
    },
    redeem: (code, telegramUserId) => {
      // Taken and linked in one statement each, with no await between: a code links at most once.
      const row = statements.takeCode.get(hash(code.trim()), now()) as { address: string } | undefined;
      if (!row) return undefined;
      statements.link.run(telegramUserId, row.address, now());
      return row.address as Address;
    },
    burn: (code) => statements.takeCode.get(hash(code.trim()), now()) !== undefined,
    memberOf: (telegramUserId) => (statements.memberOf.get(telegramUserId) as { address: string } | undefined)?.address as Address | undefined,
    unlink: (telegramUserId) => statements.unlink.run(telegramUserId).changes > 0,
  };
}
