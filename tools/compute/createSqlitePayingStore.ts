import type { Address } from 'viem';
import { getAddress } from 'viem';
import { openDatabase, type Migration } from '../../memory/openDatabase.js';
import type { Hex } from 'viem';
import type { SignedReceipt } from '../../chain/receipt/receiptTypes.js';
import type { PaidCall, PayingChannelState } from './PayingStore.js';

/** Parameters of {@link createSqlitePayingStore}. */
export type CreateSqlitePayingStoreParameters = {
  /** SQLite file (or `:memory:`). */
  path: string;
};

/** Return type of {@link createSqlitePayingStore}. */
export type CreateSqlitePayingStoreReturnType = {
  getChannel: (channelId: bigint) => PayingChannelState | undefined;
  saveChannel: (state: PayingChannelState) => void;
  channels: () => PayingChannelState[];
  recordCall: (call: PaidCall) => void;
  costSince: (sinceMs: number) => bigint;
  markUntrusted: (provider: Address, reason: string) => void;
  untrusted: (provider: Address) => string | undefined;
  recordReceipt: (receipt: SignedReceipt & { provider: Address }) => void;
  receiptAtStep: (channelId: bigint, step: bigint) => SignedReceipt | undefined;
  /** Every verified receipt of a channel, in the order received. */
  receipts: (channelId: bigint) => SignedReceipt[];
  /** Every recorded call, oldest first. */
  calls: () => PaidCall[];
  /** Closes the database. */
  close: () => void;
};

/** The paying client's tables (amounts as decimal TEXT). */
export const payingStoreMigrations = [
  {
    id: 'compute/001-paying-ledger',
    up: `
      CREATE TABLE compute_channels (channel_id TEXT PRIMARY KEY, provider TEXT NOT NULL, spent TEXT NOT NULL, authorized TEXT NOT NULL);
      CREATE TABLE compute_calls (
        id INTEGER PRIMARY KEY AUTOINCREMENT, channel_id TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL,
        cost TEXT NOT NULL, max_cost TEXT NOT NULL, spent TEXT NOT NULL, at INTEGER NOT NULL
      );
      CREATE INDEX compute_calls_at ON compute_calls (at);
      CREATE TABLE compute_untrusted (provider TEXT PRIMARY KEY, reason TEXT NOT NULL, at INTEGER NOT NULL);
    `,
  },
  {
    // Provider-signed receipts, one per response, keyed by channel and step (the total before the charge).
    id: 'compute/002-receipts',
    up: `
      CREATE TABLE compute_receipts (
        id INTEGER PRIMARY KEY AUTOINCREMENT, channel_id TEXT NOT NULL, provider TEXT NOT NULL, step TEXT NOT NULL,
        request_hash TEXT NOT NULL, response_hash TEXT NOT NULL, model TEXT NOT NULL, tokens_in TEXT NOT NULL, tokens_out TEXT NOT NULL,
        cost TEXT NOT NULL, spent_after TEXT NOT NULL, signature TEXT NOT NULL
      );
      CREATE INDEX compute_receipts_step ON compute_receipts (channel_id, step);
    `,
  },
] as const satisfies readonly Migration[];

type ChannelRow = { channel_id: string; provider: string; spent: string; authorized: string };
type ReceiptRow = {
  channel_id: string;
  request_hash: string;
  response_hash: string;
  model: string;
  tokens_in: string;
  tokens_out: string;
  cost: string;
  spent_after: string;
  signature: string;
};
const toReceipt = (r: ReceiptRow): SignedReceipt => ({
  channelId: BigInt(r.channel_id),
  requestHash: r.request_hash as Hex,
  responseHash: r.response_hash as Hex,
  model: r.model,
  tokensIn: BigInt(r.tokens_in),
  tokensOut: BigInt(r.tokens_out),
  cost: BigInt(r.cost),
  spentAfter: BigInt(r.spent_after),
  signature: r.signature as Hex,
});
type CallRow = { channel_id: string; provider: string; model: string; cost: string; max_cost: string; spent: string; at: number };

/**
 * A standalone SQLite implementation of `PayingStore` (synchronous) (tests, tools, or an agent without
 * its own memory store).
 *
 * @param parameters The database file.
 * @returns The store, plus `calls()` and `close()`.
 * @example const store = createSqlitePayingStore({ path: '.y2c/compute.db' });
 */
export function createSqlitePayingStore(parameters: CreateSqlitePayingStoreParameters): CreateSqlitePayingStoreReturnType {
  const db = openDatabase({ path: parameters.path, migrations: payingStoreMigrations });
  const toState = (row: ChannelRow): PayingChannelState => ({
    channelId: BigInt(row.channel_id),
    provider: getAddress(row.provider),
    spent: BigInt(row.spent),
    authorized: BigInt(row.authorized),
  });
  return {
    getChannel(channelId) {
      const row = db.prepare<[string], ChannelRow>('SELECT * FROM compute_channels WHERE channel_id = ?').get(channelId.toString());
      return row ? toState(row) : undefined;
    },
    saveChannel(state) {
      db.prepare(
        `INSERT INTO compute_channels (channel_id, provider, spent, authorized) VALUES (?, ?, ?, ?)
         ON CONFLICT (channel_id) DO UPDATE SET provider = excluded.provider, spent = excluded.spent, authorized = excluded.authorized`,
      ).run(state.channelId.toString(), state.provider, state.spent.toString(), state.authorized.toString());
    },
    channels() {
      return db.prepare<[], ChannelRow>('SELECT * FROM compute_channels ORDER BY CAST(channel_id AS INTEGER)').all().map(toState);
    },
    recordCall(call) {
      db.prepare('INSERT INTO compute_calls (channel_id, provider, model, cost, max_cost, spent, at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        call.channelId.toString(),
        call.provider,
        call.model,
        call.cost.toString(),
        call.maxCost.toString(),
        call.spent.toString(),
        call.at,
      );
    },
    costSince(sinceMs) {
      const rows = db.prepare<[number], { cost: string }>('SELECT cost FROM compute_calls WHERE at >= ?').all(sinceMs);
      return rows.reduce((sum, row) => sum + BigInt(row.cost), 0n);
    },
    markUntrusted(provider: Address, reason: string) {
      db.prepare('INSERT INTO compute_untrusted (provider, reason, at) VALUES (?, ?, ?) ON CONFLICT (provider) DO UPDATE SET reason = excluded.reason').run(
        provider.toLowerCase(),
        reason,
        Date.now(),
      );
    },
    untrusted(provider) {
      return db.prepare<[string], { reason: string }>('SELECT reason FROM compute_untrusted WHERE provider = ?').get(provider.toLowerCase())?.reason;
    },
    recordReceipt(receipt) {
      db.prepare(
        `INSERT INTO compute_receipts (channel_id, provider, step, request_hash, response_hash, model, tokens_in, tokens_out, cost, spent_after, signature)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        receipt.channelId.toString(),
        receipt.provider,
        (receipt.spentAfter - receipt.cost).toString(),
        receipt.requestHash,
        receipt.responseHash,
        receipt.model,
        receipt.tokensIn.toString(),
        receipt.tokensOut.toString(),
        receipt.cost.toString(),
        receipt.spentAfter.toString(),
        receipt.signature,
      );
    },
    receiptAtStep(channelId, step) {
      const row = db.prepare<[string, string], ReceiptRow>('SELECT * FROM compute_receipts WHERE channel_id = ? AND step = ? ORDER BY id LIMIT 1').get(channelId.toString(), step.toString());
      return row ? toReceipt(row) : undefined;
    },
    receipts(channelId) {
      return db.prepare<[string], ReceiptRow>('SELECT * FROM compute_receipts WHERE channel_id = ? ORDER BY id').all(channelId.toString()).map(toReceipt);
    },
    calls() {
      return db
        .prepare<[], CallRow>('SELECT * FROM compute_calls ORDER BY id')
        .all()
        .map((r) => ({
          channelId: BigInt(r.channel_id),
          provider: getAddress(r.provider),
          model: r.model,
          cost: BigInt(r.cost),
          maxCost: BigInt(r.max_cost),
          spent: BigInt(r.spent),
          at: r.at,
        }));
    },
    close: () => db.close(),
  };
}
