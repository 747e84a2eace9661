import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Hex } from 'viem';
import type { ReceiptWire } from '../../chain/receipt/receiptTypes.js';
import { formatVoucherHeader } from '../../chain/voucher/formatVoucherHeader.js';
import { AgentError } from '../../core/AgentError.js';
import { PaymentRequiredError } from '../PaymentRequiredError.js';
import { providerMigrationsFor } from './providerSchema.js';
import type { ChannelLedger, ChargeRecord, ProviderStore, RedemptionRecord, Reservation } from './ProviderStore.js';
import { providerRows, renderProviderQuery, type ChargeRow, type ProviderQueryName, type RedemptionRow } from './providerQueries.js';

const q = (name: ProviderQueryName) => renderProviderQuery(name, 'postgres');

/** Parameters of {@link createPostgresProviderStore}. */
export type CreatePostgresProviderStoreParameters = {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Clock (ms), for tests. */
  now?: () => number;
};

/** Return type of {@link createPostgresProviderStore}. */
export type CreatePostgresProviderStoreReturnType = ProviderStore & {
  /** This frontend's id (its reservations carry it; its lock says it is alive). */
  owner: string;
};

/** The PostgreSQL ledger cannot be reached or migrated. */
export class ProviderStoreUnavailableError extends AgentError {
  override name = 'ProviderStoreUnavailableError' as const;
}

/** Advisory-lock namespace (first key) of the provider ledger: 'y2' in ASCII. */
const lockSpace = 0x7932;
/** Second key of the settlement leader's lock (owners use hashtext(owner), any int4). */
const leaderLock = "hashtext('y2c/provider/settlement-leader')";
const migrationLock = "hashtext('y2c/provider/migrations')";

type Queryable = Pick<pg.ClientBase, 'query'>;
type ChannelRow = { spent: string; authorized: string; signature: string };

/**
 * The provider's ledger in PostgreSQL, shared by any number of frontends: the same tables and
 * migrations as the SQLite store (one description, providerSchema.ts), the same rules. Each
 * operation on a channel first takes that channel's row lock (`SELECT … FOR UPDATE`), so
 * reservations of all frontends on one channel are serialized and their sum never exceeds the
 * best voucher. Each frontend holds a session advisory lock on its own id for as long as it lives
 * (its connection dies with the process, kill -9 included), which lets a survivor release a dead
 * frontend's reservations; one frontend at a time holds the settlement leader's advisory lock.
 *
 * @param parameters The database URL.
 * @returns The store, migrated and holding this frontend's lock.
 * @example const store = await createPostgresProviderStore({ url: 'postgres://y2c@db/provider' });
 */
export async function createPostgresProviderStore(parameters: CreatePostgresProviderStoreParameters): Promise<CreatePostgresProviderStoreReturnType> {
  const now = parameters.now ?? Date.now;
  const owner = randomUUID();
  const pool = new pg.Pool({ connectionString: parameters.url, max: parameters.poolSize ?? 10 });
  // An idle connection that breaks must not crash the process: the next query reconnects.
  pool.on('error', () => undefined);
  // The frontend's life line: its session holds the owner lock and, when leading, the leader lock.
  // Named after the process, so an operator (or a test) sees in pg_stat_activity which frontend leads.
  const life = new pg.Client({ connectionString: parameters.url, application_name: `y2c-provider pid=${process.pid}` });
  let lifeLost = false;
  life.on('error', () => {
    lifeLost = true;
  });
  try {
    await life.connect();
    await migrate(life);
    await life.query(`SELECT pg_advisory_lock(${lockSpace}, hashtext($1))`, [owner]);
  } catch (cause) {
    await life.end().catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw new ProviderStoreUnavailableError('The PostgreSQL provider ledger is unreachable.', {
      cause,
      details: `${redact(parameters.url)}: ${cause instanceof Error ? cause.message : String(cause)}`,
      docsPath: '#a-fleet-of-frontends-on-postgresql',
    });
  }
  let leading = false;

  async function migrate(client: pg.Client): Promise<void> {
    // Frontends starting together migrate one at a time.
    await client.query(`SELECT pg_advisory_lock(${lockSpace}, ${migrationLock})`);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const applied = new Set((await client.query<{ id: string }>('SELECT id FROM migrations')).rows.map((r) => r.id));
      for (const migration of providerMigrationsFor('postgres')) {
        if (applied.has(migration.id)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.up);
          await client.query('INSERT INTO migrations (id, applied_at) VALUES ($1, $2)', [migration.id, now()]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${lockSpace}, ${migrationLock})`);
    }
  }

  async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Locks a channel's row (creating an empty one so that even the first reservations queue up). */
  async function lockChannel(client: Queryable, id: string): Promise<ChannelRow> {
    await client.query(
      "INSERT INTO provider_channels (channel_id, spent, authorized, signature, updated_at) VALUES ($1, '0', '0', '', $2) ON CONFLICT (channel_id) DO NOTHING",
      [id, now()],
    );
    const { rows } = await client.query<ChannelRow>('SELECT spent, authorized, signature FROM provider_channels WHERE channel_id = $1 FOR UPDATE', [id]);
    if (!rows[0]) throw new Error(`channel ${id} has no ledger row`);
    return rows[0];
  }

  const sum = (rows: { amount: string }[]) => rows.reduce((total, row) => total + BigInt(row.amount), 0n);
  const max = (rows: { amount: string }[]) => rows.reduce((top, row) => (BigInt(row.amount) > top ? BigInt(row.amount) : top), 0n);

  async function readChannel(client: Queryable, channelId: bigint): Promise<ChannelLedger> {
    const id = channelId.toString();
    const row = (await client.query<ChannelRow>('SELECT spent, authorized, signature FROM provider_channels WHERE channel_id = $1', [id])).rows[0];
    const reserved = (await client.query<{ amount: string }>('SELECT amount FROM provider_reservations WHERE channel_id = $1', [id])).rows;
    const redeemed = (await client.query<{ amount: string }>("SELECT amount FROM provider_redemptions WHERE channel_id = $1 AND status = 'confirmed'", [id])).rows;
    return {
      channelId,
      spent: row ? BigInt(row.spent) : 0n,
      reserved: sum(reserved),
      authorized: row ? BigInt(row.authorized) : 0n,
      signature: row?.signature ? (row.signature as Hex) : undefined,
      redeemed: max(redeemed),
    };
  }

  async function releaseHeld(client: Queryable, row: { id: string; channel_id: string; amount: string; model: string; voucher: string }, outcome: 'upstream_failed' | 'crashed') {
    const current = await lockChannel(client, row.channel_id);
    const deleted = await client.query('DELETE FROM provider_reservations WHERE id = $1', [row.id]);
    if (!deleted.rowCount) return { spent: BigInt(current.spent) };
    await client.query(
      'INSERT INTO provider_charges (channel_id, model, outcome, reserved, cost, prompt_tokens, completion_tokens, spent_after, at) VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6, $7)',
      [row.channel_id, row.model, outcome, row.amount, '0', current.spent, now()],
    );
    return { spent: BigInt(current.spent) };
  }

  type HeldRow = { id: string; channel_id: string; amount: string; model: string; voucher: string };

  return {
    kind: 'postgres',
    owner,
    channel: (channelId) => readChannel(pool, channelId),
    reserve: ({ voucher, amount, model }) =>
      transaction(async (client) => {
        const header = formatVoucherHeader(voucher);
        const id = voucher.channelId.toString();
        const row = await lockChannel(client, id);
        // A voucher sent again pays again while it covers the request (the row lock serializes the checks below).
        const spent = BigInt(row.spent);
        const authorized = BigInt(row.authorized);
        const reserved = sum((await client.query<{ amount: string }>('SELECT amount FROM provider_reservations WHERE channel_id = $1', [id])).rows);
        if (voucher.authorized <= spent && amount > 0n) {
          throw new PaymentRequiredError('voucher_stale', `The voucher authorizes ${voucher.authorized}, not above the ${spent} already spent.`, {
            details: `sign spent + maxCost; GET /y2c/channels/${id} returns the provider's spent`,
          });
        }
        const available = voucher.authorized - spent - reserved;
        if (available < amount) {
          throw new PaymentRequiredError('voucher_insufficient', `The voucher leaves ${available > 0n ? available : 0n} available but this request may cost ${amount}.`, {
            details: `authorized ${voucher.authorized}, spent ${spent}, reserved ${reserved}; sign spent + reserved + maxCost`,
          });
        }
        await client.query('INSERT INTO provider_vouchers (header, channel_id, authorized, accepted_at) VALUES ($1, $2, $3, $4) ON CONFLICT (header) DO NOTHING', [header, id, voucher.authorized.toString(), now()]);
        if (voucher.authorized > authorized) {
          await client.query('UPDATE provider_channels SET authorized = $2, signature = $3, updated_at = $4 WHERE channel_id = $1', [
            id,
            voucher.authorized.toString(),
            voucher.signature,
            now(),
          ]);
        }
        const inserted = await client.query<{ id: string }>(
          'INSERT INTO provider_reservations (channel_id, amount, model, voucher, created_at, owner) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
          [id, amount.toString(), model, header, now(), owner],
        );
        return { id: Number(inserted.rows[0]!.id), channelId: voucher.channelId, amount, spentBefore: spent } satisfies Reservation;
      }),
    settle: (reservation, parameters) =>
      transaction(async (client) => {
        const current = await lockChannel(client, reservation.channelId.toString());
        const row = (await client.query<HeldRow>('SELECT id, channel_id, amount, model, voucher FROM provider_reservations WHERE id = $1', [reservation.id])).rows[0];
        if (!row) throw new Error(`reservation ${reservation.id} is not held`);
        const held = BigInt(row.amount);
        const cost = parameters.cost < held ? parameters.cost : held;
        const spent = BigInt(current.spent) + cost;
        await client.query('UPDATE provider_channels SET spent = $2, updated_at = $3 WHERE channel_id = $1', [row.channel_id, spent.toString(), now()]);
        await client.query('DELETE FROM provider_reservations WHERE id = $1', [row.id]);
        await client.query(
          'INSERT INTO provider_charges (channel_id, model, outcome, reserved, cost, prompt_tokens, completion_tokens, spent_after, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
          [row.channel_id, row.model, parameters.outcome, row.amount, cost.toString(), parameters.promptTokens, parameters.completionTokens, spent.toString(), now()],
        );
        return { cost, spent };
      }),
    release: (reservation, outcome) =>
      transaction(async (client) => {
        const row = (await client.query<HeldRow>('SELECT id, channel_id, amount, model, voucher FROM provider_reservations WHERE id = $1', [reservation.id])).rows[0];
        if (!row) return { spent: (await readChannel(client, reservation.channelId)).spent };
        return releaseHeld(client, row, outcome);
      }),
    async releaseAbandoned() {
      const owners = (await pool.query<{ owner: string }>('SELECT DISTINCT owner FROM provider_reservations WHERE owner <> $1', [owner])).rows.map((r) => r.owner);
      let released = 0;
      for (const other of owners) {
        // A live frontend holds its lock: only a gone one's reservations are taken (by one survivor at a time).
        const got = await transaction(async (client) => {
          const lock = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${lockSpace}, hashtext($1)) AS ok`, [other]);
          if (!lock.rows[0]?.ok) return 0;
          const rows = (await client.query<HeldRow>('SELECT id, channel_id, amount, model, voucher FROM provider_reservations WHERE owner = $1 ORDER BY id', [other])).rows;
          for (const row of rows) await releaseHeld(client, row, 'crashed');
          return rows.length;
        });
        released += got;
      }
      return released;
    },
    async lead() {
      if (lifeLost) return (leading = false);
      if (leading) return true;
      try {
        const { rows } = await life.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${lockSpace}, ${leaderLock}) AS ok`);
        leading = rows[0]?.ok === true;
      } catch {
        leading = false;
      }
      return leading;
    },
    async outstanding() {
      const ids = (await pool.query<{ channel_id: string }>(q('channelIds'))).rows;
      const ledgers: ChannelLedger[] = [];
      for (const row of ids) ledgers.push(await readChannel(pool, BigInt(row.channel_id)));
      return ledgers.filter((c) => c.spent > c.redeemed);
    },
    async recordReceipt(receipt) {
      await pool.query(q('insertReceipt'), [...providerRows.receiptParams(receipt, now())]);
    },
    async latestReceipt(channelId) {
      return providerRows.receipt((await pool.query<{ receipt: string }>(q('latestReceipt'), [channelId.toString()])).rows[0]);
    },
    async recordRedemption(record) {
      await pool.query(q('insertRedemption'), [...providerRows.redemptionParams(record, now())]);
    },
    async redemptions(channelId) {
      const { rows } = await (channelId === undefined ? pool.query<RedemptionRow>(q('allRedemptions')) : pool.query<RedemptionRow>(q('channelRedemptions'), [channelId.toString()]));
      return rows.map(providerRows.redemption);
    },
    async charges(channelId) {
      return (await pool.query<ChargeRow>(q('channelCharges'), [channelId.toString()])).rows.map(providerRows.charge);
    },
    async close() {
      await pool.end().catch(() => undefined);
      await life.end().catch(() => undefined);
    },
  };
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured PostgreSQL URL';
  }
}
