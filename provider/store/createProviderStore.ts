import { randomUUID } from 'node:crypto';
import type { Hex } from 'viem';
import type { ReceiptWire } from '../../chain/receipt/receiptTypes.js';
import { formatVoucherHeader } from '../../chain/voucher/formatVoucherHeader.js';
import type { SignedVoucher } from '../../chain/voucher/voucherTypes.js';
import { openDatabase, type Migration } from '../../memory/openDatabase.js';
import { PaymentRequiredError } from '../PaymentRequiredError.js';
import { providerMigrations } from './providerMigrations.js';
import type { ChannelLedger, ChargeRecord, ProviderStore, Reservation, SettleParameters } from './ProviderStore.js';
import { providerRows, renderProviderQuery, type ChargeRow, type ProviderQueryName, type RedemptionRow } from './providerQueries.js';

const q = (name: ProviderQueryName) => renderProviderQuery(name, 'sqlite');

/** Parameters of {@link createProviderStore}. */
export type CreateProviderStoreParameters = {
  /** SQLite file (or `:memory:`). */
  path: string;
  /** Migrations of other stores sharing the file. */
  migrations?: readonly Migration[];
  /** Clock (ms), for tests. */
  now?: () => number;
};

export type { ChannelLedger, ChargeRecord, RedemptionRecord, Reservation } from './ProviderStore.js';

/** Return type of {@link createProviderStore}: the ledger (see {@link ProviderStore}). */
export type CreateProviderStoreReturnType = ProviderStore;

type ChannelRow = { spent: string; authorized: string; signature: string };

/**
 * The provider's durable ledger in SQLite: the best voucher and `spent` per channel, the vouchers
 * already used, reservations in flight, every charge and every redemption. Each write is one
 * transaction, committed to the WAL before the response is sent (synchronous = NORMAL: durable
 * across process crashes, not fsynced per commit; see provider/README.md#ledger-and-crashes).
 *
 * A crash while serving leaves a reservation behind; {@link ProviderStore.releaseAbandoned}
 * drops it at the next start, charging nothing: `spent` stays what the client last saw reported.
 *
 * @param parameters Where the database is.
 * @returns The store.
 * @example const store = createProviderStore({ path: '.y2c/provider.db' });
 */
export function createProviderStore(parameters: CreateProviderStoreParameters): CreateProviderStoreReturnType {
  const now = parameters.now ?? Date.now;
  // One process owns a SQLite ledger: a reservation not made by this one was left by a crash.
  const owner = randomUUID();
  const db = openDatabase({ path: parameters.path, migrations: [...(parameters.migrations ?? []), ...providerMigrations] });
  // WAL + synchronous = NORMAL: no fsync per commit (measured here: ~0.2 ms p50, ~4 ms p99 per FULL
  // commit, ~6 µs NORMAL). Every commit survives a process crash (kill -9); an OS crash or power cut
  // may drop the last commits before a checkpoint, which can only make the provider under-charge
  // itself (a lost charge), never take more than a payer authorized. See provider/README.md.
  db.pragma('synchronous = NORMAL');

  const getChannel = db.prepare<[string], ChannelRow>('SELECT spent, authorized, signature FROM provider_channels WHERE channel_id = ?');
  const getReserved = db.prepare<[string], { amount: string }>('SELECT amount FROM provider_reservations WHERE channel_id = ?');
  const getRedeemed = db.prepare<[string], { amount: string }>("SELECT amount FROM provider_redemptions WHERE channel_id = ? AND status = 'confirmed'");
  const insertVoucher = db.prepare('INSERT INTO provider_vouchers (header, channel_id, authorized, accepted_at) VALUES (?, ?, ?, ?) ON CONFLICT (header) DO NOTHING');
  const upsertChannel = db.prepare(
    `INSERT INTO provider_channels (channel_id, spent, authorized, signature, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (channel_id) DO UPDATE SET spent = excluded.spent, authorized = excluded.authorized, signature = excluded.signature, updated_at = excluded.updated_at`,
  );
  const insertReservation = db.prepare('INSERT INTO provider_reservations (channel_id, amount, model, voucher, created_at, owner) VALUES (?, ?, ?, ?, ?, ?)');
  const getReservation = db.prepare<[number], { channel_id: string; amount: string; model: string; voucher: string }>(
    'SELECT channel_id, amount, model, voucher FROM provider_reservations WHERE id = ?',
  );
  const deleteReservation = db.prepare('DELETE FROM provider_reservations WHERE id = ?');
  const insertCharge = db.prepare(
    `INSERT INTO provider_charges (channel_id, model, outcome, reserved, cost, prompt_tokens, completion_tokens, spent_after, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const sum = (rows: { amount: string }[]) => rows.reduce((total, row) => total + BigInt(row.amount), 0n);
  const max = (rows: { amount: string }[]) => rows.reduce((top, row) => (BigInt(row.amount) > top ? BigInt(row.amount) : top), 0n);

  function channel(channelId: bigint): ChannelLedger {
    const id = channelId.toString();
    const row = getChannel.get(id);
    return {
      channelId,
      spent: row ? BigInt(row.spent) : 0n,
      reserved: sum(getReserved.all(id)),
      authorized: row ? BigInt(row.authorized) : 0n,
      signature: row ? (row.signature as Hex) : undefined,
      redeemed: max(getRedeemed.all(id)),
    };
  }

  const reserve = db.transaction((parameters: { voucher: SignedVoucher; amount: bigint; model: string }): Reservation => {
    const { voucher, amount, model } = parameters;
    const header = formatVoucherHeader(voucher);
    const id = voucher.channelId.toString();
    // A voucher sent again pays again while it covers the request: the checks below bound what any
    // voucher buys by its own total (spent + reserved + this maxCost), so a repeat cannot take more.
    const row = getChannel.get(id);
    const ledger = {
      spent: row ? BigInt(row.spent) : 0n,
      reserved: sum(getReserved.all(id)),
      authorized: row ? BigInt(row.authorized) : 0n,
      signature: row?.signature as Hex | undefined,
    };
    if (voucher.authorized <= ledger.spent && amount > 0n) {
      throw new PaymentRequiredError('voucher_stale', `The voucher authorizes ${voucher.authorized}, not above the ${ledger.spent} already spent.`, {
        details: `sign spent + maxCost; GET /y2c/channels/${id} returns the provider's spent`,
      });
    }
    const available = voucher.authorized - ledger.spent - ledger.reserved;
    if (available < amount) {
      throw new PaymentRequiredError(
        'voucher_insufficient',
        `The voucher leaves ${available > 0n ? available : 0n} available but this request may cost ${amount}.`,
        { details: `authorized ${voucher.authorized}, spent ${ledger.spent}, reserved ${ledger.reserved}; sign spent + reserved + maxCost` },
      );
    }
    insertVoucher.run(header, id, voucher.authorized.toString(), now());
    const best = voucher.authorized > ledger.authorized ? voucher : { authorized: ledger.authorized, signature: ledger.signature ?? voucher.signature };
    upsertChannel.run(id, ledger.spent.toString(), best.authorized.toString(), best.signature, now());
    const result = insertReservation.run(id, amount.toString(), model, header, now(), owner);
    return { id: Number(result.lastInsertRowid), channelId: voucher.channelId, amount, spentBefore: ledger.spent };
  });

  const settle = db.transaction(
    (reservation: Reservation, parameters: SettleParameters) => {
      const row = getReservation.get(reservation.id);
      if (!row) throw new Error(`reservation ${reservation.id} is not held`);
      const held = BigInt(row.amount);
      const cost = parameters.cost < held ? parameters.cost : held;
      const current = getChannel.get(row.channel_id);
      if (!current) throw new Error(`channel ${row.channel_id} has no ledger row`);
      const spent = BigInt(current.spent) + cost;
      upsertChannel.run(row.channel_id, spent.toString(), current.authorized, current.signature, now());
      deleteReservation.run(reservation.id);
      insertCharge.run(
        row.channel_id,
        row.model,
        parameters.outcome,
        held.toString(),
        cost.toString(),
        parameters.promptTokens,
        parameters.completionTokens,
        spent.toString(),
        now(),
      );
      return { cost, spent };
    },
  );

  const release = db.transaction((reservation: Reservation, outcome: 'upstream_failed' | 'crashed') => {
    const row = getReservation.get(reservation.id);
    const current = getChannel.get(reservation.channelId.toString());
    const spent = current ? BigInt(current.spent) : 0n;
    if (!row) return { spent };
    deleteReservation.run(reservation.id);
    insertCharge.run(row.channel_id, row.model, outcome, row.amount, '0', null, null, spent.toString(), now());
    return { spent };
  });

  const releaseAbandoned = db.transaction(() => {
    const rows = db
      .prepare<[string], { id: number; channel_id: string; amount: string }>('SELECT id, channel_id, amount FROM provider_reservations WHERE owner <> ?')
      .all(owner);
    for (const row of rows) release({ id: row.id, channelId: BigInt(row.channel_id), amount: BigInt(row.amount), spentBefore: 0n }, 'crashed');
    return rows.length;
  });

  return {
    kind: 'sqlite',
    channel: async (channelId) => channel(channelId),
    reserve: async (p) => reserve(p),
    settle: async (r, p) => settle(r, p),
    release: async (r, o) => release(r, o),
    releaseAbandoned: async () => releaseAbandoned(),
    lead: async () => true,
    async outstanding() {
      const ids = db.prepare<[], { channel_id: string }>(q('channelIds')).all();
      return ids.map((row) => channel(BigInt(row.channel_id))).filter((c) => c.spent > c.redeemed);
    },
    async recordReceipt(receipt) {
      db.prepare(q('insertReceipt')).run(...providerRows.receiptParams(receipt, now()));
    },
    async latestReceipt(channelId) {
      return providerRows.receipt(db.prepare<[string], { receipt: string }>(q('latestReceipt')).get(channelId.toString()));
    },
    async recordRedemption(record) {
      db.prepare(q('insertRedemption')).run(...providerRows.redemptionParams(record, now()));
    },
    async redemptions(channelId) {
      const rows = (channelId === undefined ? db.prepare(q('allRedemptions')).all() : db.prepare(q('channelRedemptions')).all(channelId.toString())) as RedemptionRow[];
      return rows.map(providerRows.redemption);
    },
    async charges(channelId) {
      return (db.prepare(q('channelCharges')).all(channelId.toString()) as ChargeRow[]).map(providerRows.charge);
    },
    close: async () => {
      db.close();
    },
  };
}
