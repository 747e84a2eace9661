import type Database from 'better-sqlite3';
import { getAddress, type Address } from 'viem';
import { AgentError } from '../core/AgentError.js';
import type { Migration } from './openDatabase.js';
import type { StoreOptions } from './types.js';
import { unixNow } from './unixNow.js';

/**
 * Schema of the agent's channels, with the paying client's distrust list and provider receipts
 * beside them (one store: the paying fetch reads and writes `authorized` and `spent` here).
 */
export const channelsMigrations: readonly Migration[] = [
  {
    id: 'channels/001-init',
    up: `CREATE TABLE channels (
      channel_id TEXT PRIMARY KEY,
      provider TEXT NOT NULL,
      signer TEXT NOT NULL,
      deposit TEXT NOT NULL,
      authorized TEXT NOT NULL DEFAULT '0',
      spent TEXT NOT NULL DEFAULT '0',
      redeemed TEXT NOT NULL DEFAULT '0',
      status TEXT NOT NULL CHECK (status IN ('open', 'closing', 'closed')),
      closes_at INTEGER,
      last_used_at INTEGER,
      opened_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX channels_status ON channels (status, provider);
    CREATE TABLE vouchers (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      channel_id TEXT NOT NULL REFERENCES channels (channel_id),
      authorized TEXT NOT NULL,
      signature TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX vouchers_channel ON vouchers (channel_id, id);`,
  },
  {
    // The vouchers table was never read (the highest total signed is `authorized`); the paying
    // client's tables move in from compute.db (memory/mergeComputeDatabase.ts copies old ones once).
    id: 'channels/002-one-store',
    up: `DROP TABLE vouchers;
    CREATE TABLE IF NOT EXISTS compute_untrusted (provider TEXT PRIMARY KEY, reason TEXT NOT NULL, at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS compute_receipts (
      id INTEGER PRIMARY KEY AUTOINCREMENT, channel_id TEXT NOT NULL, provider TEXT NOT NULL, step TEXT NOT NULL,
      request_hash TEXT NOT NULL, response_hash TEXT NOT NULL, model TEXT NOT NULL, tokens_in TEXT NOT NULL, tokens_out TEXT NOT NULL,
      cost TEXT NOT NULL, spent_after TEXT NOT NULL, signature TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS compute_receipts_step ON compute_receipts (channel_id, step);`,
  },
];

/** Where a channel stands: usable, in its challenge window, or settled. */
export type ChannelStatus = 'open' | 'closing' | 'closed';

/** A payment channel the agent opened with a provider. */
export type AgentChannel = {
  channelId: bigint;
  provider: Address;
  /** Session key that signs vouchers. */
  signer: Address;
  /** Escrowed on chain, token units. */
  deposit: bigint;
  /** Highest amount signed in a voucher. */
  authorized: bigint;
  /** What the provider reported as spent (`x-y2c-spent`). */
  spent: bigint;
  /** What the provider redeemed on chain. */
  redeemed: bigint;
  status: ChannelStatus;
  /** Unix seconds when the challenge window ends (status `closing`). */
  closesAt: number | undefined;
  /** Unix seconds of the latest paid call. */
  lastUsedAt: number | undefined;
  openedAt: number;
  updatedAt: number;
};

/** Input of `upsert`: what the chain says about a channel. */
export type UpsertChannelParameters = {
  channelId: bigint;
  provider: Address;
  signer: Address;
  deposit: bigint;
  redeemed?: bigint;
  status?: ChannelStatus;
  closesAt?: number;
};

/** A channel id the store has never seen. */
export class UnknownChannelError extends AgentError {
  override name = 'UnknownChannelError' as const;
}

type Row = {
  channel_id: string;
  provider: string;
  signer: string;
  deposit: string;
  authorized: string;
  spent: string;
  redeemed: string;
  status: ChannelStatus;
  closes_at: number | null;
  last_used_at: number | null;
  opened_at: number;
  updated_at: number;
};

const toChannel = (row: Row): AgentChannel => ({
  channelId: BigInt(row.channel_id),
  provider: row.provider as Address,
  signer: row.signer as Address,
  deposit: BigInt(row.deposit),
  authorized: BigInt(row.authorized),
  spent: BigInt(row.spent),
  redeemed: BigInt(row.redeemed),
  status: row.status,
  closesAt: row.closes_at ?? undefined,
  lastUsedAt: row.last_used_at ?? undefined,
  openedAt: row.opened_at,
  updatedAt: row.updated_at,
});

const max = (a: bigint, b: bigint) => (a > b ? a : b);

/** The channels store. */
export type ChannelsStore = ReturnType<typeof createChannelsStore>;

/**
 * The agent's view of its payment channels: deposit and redemptions from the chain, the highest
 * total it signed, and what the provider reported as spent. Authorized, spent and redeemed only grow.
 *
 * @param db Database opened with {@link channelsMigrations}.
 * @param options Clock.
 * @returns Functions over the channels and vouchers tables.
 * @example
 * channels.upsert({ channelId: 1n, provider, signer, deposit: 5_000_000n })
 * channels.recordAuthorized(1n, 20_000n)
 * channels.recordSpent(1n, 12_000n)
 */
export function createChannelsStore(db: Database.Database, options: StoreOptions = {}) {
  const now = options.now ?? unixNow;
  const statements = {
    get: db.prepare('SELECT * FROM channels WHERE channel_id = ?'),
    insert: db.prepare(
      `INSERT INTO channels (channel_id, provider, signer, deposit, redeemed, status, closes_at, opened_at, updated_at)
       VALUES (@channelId, @provider, @signer, @deposit, @redeemed, @status, @closesAt, @now, @now)`,
    ),
    update: db.prepare(
      `UPDATE channels SET provider = @provider, signer = @signer, deposit = @deposit, redeemed = @redeemed, status = @status,
         closes_at = @closesAt, updated_at = @now WHERE channel_id = @channelId`,
    ),
    authorized: db.prepare('UPDATE channels SET authorized = ?, updated_at = ? WHERE channel_id = ?'),
    spent: db.prepare('UPDATE channels SET spent = ?, last_used_at = ?, updated_at = ? WHERE channel_id = ?'),
    open: db.prepare("SELECT * FROM channels WHERE status != 'closed' ORDER BY opened_at, CAST(channel_id AS INTEGER)"),
    all: db.prepare('SELECT * FROM channels ORDER BY opened_at DESC LIMIT ?'),
  };
  const get = (channelId: bigint): AgentChannel | undefined => {
    const row = statements.get.get(channelId.toString()) as Row | undefined;
    return row && toChannel(row);
  };
  const need = (channelId: bigint): AgentChannel => {
    const channel = get(channelId);
    if (!channel) throw new UnknownChannelError(`Channel ${channelId} is not in memory; sync it from the chain first.`);
    return channel;
  };
  return {
    /** Inserts or refreshes a channel from chain data; never lowers `redeemed`. */
    upsert: db.transaction((parameters: UpsertChannelParameters): AgentChannel => {
      const existing = get(parameters.channelId);
      const row = {
        channelId: parameters.channelId.toString(),
        provider: getAddress(parameters.provider),
        signer: getAddress(parameters.signer),
        deposit: parameters.deposit.toString(),
        redeemed: max(parameters.redeemed ?? 0n, existing?.redeemed ?? 0n).toString(),
        status: parameters.status ?? existing?.status ?? 'open',
        closesAt: parameters.closesAt ?? existing?.closesAt ?? null,
        now: now(),
      };
      (existing ? statements.update : statements.insert).run(row);
      return need(parameters.channelId);
    }),
    /** One channel. */
    get,
    /** Channels not yet closed (open or in their challenge window). */
    listOpen: (): AgentChannel[] => (statements.open.all() as Row[]).map(toChannel),
    /** Every channel, newest first. */
    list: (limit = 100): AgentChannel[] => (statements.all.all(limit) as Row[]).map(toChannel),
    /** Records a total the agent signed for a channel: `authorized` becomes the highest one signed (never lowered). */
    recordAuthorized: db.transaction((channelId: bigint, authorized: bigint): AgentChannel => {
      const channel = need(channelId);
      statements.authorized.run(max(channel.authorized, authorized).toString(), now(), channelId.toString());
      return need(channelId);
    }),
    /** Records the provider's `x-y2c-spent` after a call (never lowers it) and marks the channel used. */
    recordSpent: db.transaction((channelId: bigint, spent: bigint): AgentChannel => {
      const channel = need(channelId);
      const at = now();
      statements.spent.run(max(channel.spent, spent).toString(), at, at, channelId.toString());
      return need(channelId);
    }),
  };
}
