import type Database from 'better-sqlite3';
import { getAddress, type Address } from 'viem';
import type { Migration } from './openDatabase.js';
import type { StoreOptions } from './types.js';
import { unixNow } from './unixNow.js';

/** Schema of the members table. */
export const membersMigrations: readonly Migration[] = [
  {
    id: 'members/001-init',
    up: `CREATE TABLE members (
      address TEXT PRIMARY KEY,
      first_seen INTEGER NOT NULL,
      last_seen INTEGER NOT NULL,
      telegram_id TEXT UNIQUE,
      quota_used TEXT NOT NULL DEFAULT '0'
    )`,
  },
];

/** A chat member, identified by the address they signed in with. */
export type Member = {
  address: Address;
  /** Unix seconds of the first sign-in. */
  firstSeen: number;
  /** Unix seconds of the latest activity. */
  lastSeen: number;
  /** Linked Telegram user id, if any. */
  telegramId: string | undefined;
  /** Compute spent on their behalf, in payment token units (their quota comes from their on-chain compute balance). */
  quotaUsed: bigint;
};

type Row = { address: string; first_seen: number; last_seen: number; telegram_id: string | null; quota_used: string };

const toMember = (row: Row): Member => ({
  address: row.address as Address,
  firstSeen: row.first_seen,
  lastSeen: row.last_seen,
  telegramId: row.telegram_id ?? undefined,
  quotaUsed: BigInt(row.quota_used),
});

/** The members store. */
export type MembersStore = ReturnType<typeof createMembersStore>;

/**
 * Members of the chat channel: when they were seen, their Telegram link and the quota they used.
 *
 * @param db Database opened with {@link membersMigrations}.
 * @param options Clock.
 * @returns Functions over the members table.
 * @example
 * const members = createMembersStore(db)
 * members.touch('0xabc…')
 * members.addQuotaUsed('0xabc…', 1_500n)
 */
export function createMembersStore(db: Database.Database, options: StoreOptions = {}) {
  const now = options.now ?? unixNow;
  const statements = {
    touch: db.prepare(
      `INSERT INTO members (address, first_seen, last_seen) VALUES (?, ?, ?)
       ON CONFLICT (address) DO UPDATE SET last_seen = MAX(last_seen, excluded.last_seen)`,
    ),
    get: db.prepare('SELECT * FROM members WHERE address = ?'),
    byTelegram: db.prepare('SELECT * FROM members WHERE telegram_id = ?'),
    link: db.prepare('UPDATE members SET telegram_id = ? WHERE address = ?'),
    unlinkTelegram: db.prepare('UPDATE members SET telegram_id = NULL WHERE telegram_id = ?'),
    setQuota: db.prepare('UPDATE members SET quota_used = ? WHERE address = ?'),
    list: db.prepare('SELECT * FROM members ORDER BY last_seen DESC, address LIMIT ?'),
    count: db.prepare('SELECT count(*) FROM members').pluck(),
  };
  const get = (address: Address): Member | undefined => {
    const row = statements.get.get(getAddress(address)) as Row | undefined;
    return row && toMember(row);
  };
  const touch = (address: Address): Member => {
    const checksummed = getAddress(address);
    const at = now();
    statements.touch.run(checksummed, at, at);
    return get(checksummed) as Member;
  };
  return {
    /** Records activity (creates the member on first sight); returns the member. */
    touch,
    /** The member with this address, if known. */
    get,
    /** The member linked to this Telegram id, if any. */
    getByTelegram: (telegramId: string): Member | undefined => {
      const row = statements.byTelegram.get(telegramId) as Row | undefined;
      return row && toMember(row);
    },
    /** Links (or, with `undefined`, unlinks) a Telegram id; a Telegram id belongs to one member at most. */
    linkTelegram: db.transaction((address: Address, telegramId: string | undefined): Member => {
      const member = touch(address);
      if (telegramId !== undefined) statements.unlinkTelegram.run(telegramId);
      statements.link.run(telegramId ?? null, member.address);
      return get(member.address) as Member;
    }),
    /** Adds spent compute (token units, ≥ 0) to the member's used quota; returns the new total. */
    addQuotaUsed: db.transaction((address: Address, amount: bigint): bigint => {
      if (amount < 0n) throw new RangeError(`addQuotaUsed: amount must be ≥ 0, got ${amount}`);
      const member = touch(address);
      const total = member.quotaUsed + amount;
      statements.setQuota.run(total.toString(), member.address);
      return total;
    }),
    /** Most recently active members first. */
    list: (limit = 100): Member[] => (statements.list.all(limit) as Row[]).map(toMember),
    /** How many members have ever signed in. */
    count: (): number => statements.count.get() as number,
  };
}
