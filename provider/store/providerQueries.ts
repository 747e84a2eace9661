import type { Hex } from 'viem';
import type { ReceiptWire } from '../../chain/receipt/receiptTypes.js';
import type { ChargeRecord, RedemptionRecord } from './ProviderStore.js';

/**
 * The provider ledger's queries that read the same in both dialects, written once with `?`
 * placeholders (SQLite's); {@link renderProviderQuery} gives PostgreSQL's `$n`. Queries whose locking
 * differs (the reservation's `FOR UPDATE`, advisory locks) stay in their store.
 */
export const providerQueries = {
  channelIds: 'SELECT channel_id FROM provider_channels ORDER BY length(channel_id), channel_id',
  insertReceipt: 'INSERT INTO provider_receipts (channel_id, spent_after, receipt, at) VALUES (?, ?, ?, ?)',
  latestReceipt: 'SELECT receipt FROM provider_receipts WHERE channel_id = ? ORDER BY length(spent_after) DESC, spent_after DESC, id DESC LIMIT 1',
  insertRedemption: 'INSERT INTO provider_redemptions (tx_hash, channel_id, amount, paid, status, at) VALUES (?, ?, ?, ?, ?, ?)',
  allRedemptions: 'SELECT * FROM provider_redemptions ORDER BY id',
  channelRedemptions: 'SELECT * FROM provider_redemptions WHERE channel_id = ? ORDER BY id',
  channelCharges: 'SELECT * FROM provider_charges WHERE channel_id = ? ORDER BY id',
} as const;

/** A query of {@link providerQueries}. */
export type ProviderQueryName = keyof typeof providerQueries;

/**
 * A shared query in a dialect: as written for SQLite, numbered `$1…$n` for PostgreSQL.
 *
 * @param name The query.
 * @param dialect `sqlite` or `postgres`.
 * @returns The SQL text.
 * @example pool.query(renderProviderQuery('latestReceipt', 'postgres'), [id])
 */
export function renderProviderQuery(name: ProviderQueryName, dialect: 'sqlite' | 'postgres'): string {
  const sql = providerQueries[name];
  if (dialect === 'sqlite') return sql;
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** A `provider_redemptions` row (amounts as decimal text; `at` is a BIGINT, text from PostgreSQL). */
export type RedemptionRow = { tx_hash: string; channel_id: string; amount: string; paid: string; status: RedemptionRecord['status']; at: number | string };

/** A `provider_charges` row. */
export type ChargeRow = {
  channel_id: string;
  model: string;
  outcome: ChargeRecord['outcome'];
  reserved: string;
  cost: string;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  spent_after: string;
};

/** Row mappers shared by both stores. */
export const providerRows = {
  redemption: (r: RedemptionRow): RedemptionRecord => ({ txHash: r.tx_hash as Hex, channelId: BigInt(r.channel_id), amount: BigInt(r.amount), paid: BigInt(r.paid), status: r.status, at: Number(r.at) }),
  charge: (r: ChargeRow): ChargeRecord => ({
    channelId: BigInt(r.channel_id),
    model: r.model,
    outcome: r.outcome,
    reserved: BigInt(r.reserved),
    cost: BigInt(r.cost),
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    spentAfter: BigInt(r.spent_after),
  }),
  receipt: (row: { receipt: string } | undefined): ReceiptWire | undefined => (row ? (JSON.parse(row.receipt) as ReceiptWire) : undefined),
  /** The parameters of `insertReceipt`. */
  receiptParams: (receipt: ReceiptWire, at: number) => [receipt.channelId, receipt.spentAfter, JSON.stringify(receipt), at] as const,
  /** The parameters of `insertRedemption`. */
  redemptionParams: (record: Omit<RedemptionRecord, 'at'>, at: number) => [record.txHash, record.channelId.toString(), record.amount.toString(), record.paid.toString(), record.status, at] as const,
};
