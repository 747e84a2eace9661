import type Database from 'better-sqlite3';
import type { Hex } from 'viem';
import { AgentError } from '../core/AgentError.js';
import type { Migration } from './openDatabase.js';
import type { StoreOptions } from './types.js';
import { unixNow } from './unixNow.js';
import { jsonReplacer } from '../core/jsonReplacer.js';

/** Schema of the ledger table. */
export const ledgerMigrations: readonly Migration[] = [
  {
    id: 'ledger/001-init',
    up: `CREATE TABLE ledger (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('intent', 'sent', 'confirmed', 'failed', 'reconciled')),
      reason TEXT NOT NULL,
      params TEXT NOT NULL DEFAULT '{}',
      tx_hash TEXT,
      gas_used TEXT,
      effective_gas_price TEXT,
      block_number TEXT,
      amount TEXT,
      error TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX ledger_status ON ledger (status);
    CREATE INDEX ledger_kind_created ON ledger (kind, created_at);
    CREATE INDEX ledger_created ON ledger (created_at);`,
  },
];

/** What the agent did; open to new kinds. */
export type LedgerKind =
  | 'harvest'
  | 'open_channel'
  | 'top_up'
  | 'close_channel'
  | 'request_close'
  | 'finalize'
  | 'redeem_check'
  | 'refill_gas'
  | 'stake'
  | 'unstake'
  | 'grant_session'
  | (string & {});

/** Where an action stands. `intent` and `sent` are pending; the rest are final. */
export type LedgerStatus = 'intent' | 'sent' | 'confirmed' | 'failed' | 'reconciled';

/** One action of the agent, from intent to outcome. */
export type LedgerEntry = {
  id: number;
  kind: LedgerKind;
  status: LedgerStatus;
  /** Why the agent did it (the policy's reason). */
  reason: string;
  /** Parameters as JSON (bigints were written as decimal strings). */
  params: Record<string, unknown>;
  txHash: Hex | undefined;
  gasUsed: bigint | undefined;
  effectiveGasPrice: bigint | undefined;
  blockNumber: bigint | undefined;
  /** Token units the action moved (harvested, deposited…), when known. */
  amount: bigint | undefined;
  error: string | undefined;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds. */
  updatedAt: number;
};

/** Receipt fields recorded on confirmation. */
export type LedgerReceipt = {
  txHash?: Hex;
  gasUsed?: bigint;
  effectiveGasPrice?: bigint;
  blockNumber?: bigint;
  amount?: bigint;
};

/** Per-kind totals for the dashboard. */
export type LedgerTotals = {
  kind: LedgerKind;
  count: number;
  /** Confirmed or reconciled. */
  succeeded: number;
  failed: number;
  pending: number;
  /** Sum of amounts of succeeded entries, token units. */
  amount: bigint;
  /** Sum of gas used. */
  gasUsed: bigint;
};

/** One bucket of a time series. */
export type LedgerBucket = {
  /** Unix seconds of the bucket start (UTC hour or day). */
  start: number;
  kind: LedgerKind;
  count: number;
  /** Sum of amounts of succeeded entries, token units. */
  amount: bigint;
};

/** A ledger entry is not in a state that allows this change (e.g. confirming a failed action). */
export class LedgerTransitionError extends AgentError {
  override name = 'LedgerTransitionError' as const;
}

type Row = {
  id: number;
  kind: string;
  status: LedgerStatus;
  reason: string;
  params: string;
  tx_hash: string | null;
  gas_used: string | null;
  effective_gas_price: string | null;
  block_number: string | null;
  amount: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
};

const big = (text: string | null): bigint | undefined => (text === null ? undefined : BigInt(text));
const text = (value: bigint | undefined): string | null => (value === undefined ? null : value.toString());
const toJson = (value: unknown): string => JSON.stringify(value, jsonReplacer);

const toEntry = (row: Row): LedgerEntry => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  reason: row.reason,
  params: JSON.parse(row.params) as Record<string, unknown>,
  txHash: (row.tx_hash ?? undefined) as Hex | undefined,
  gasUsed: big(row.gas_used),
  effectiveGasPrice: big(row.effective_gas_price),
  blockNumber: big(row.block_number),
  amount: big(row.amount),
  error: row.error ?? undefined,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const bucketSeconds = { hour: 3600, day: 86_400 } as const;

/** The ledger store. */
export type LedgerStore = ReturnType<typeof createLedgerStore>;

/**
 * The ledger of every action: an intent is written before a transaction is sent, then marked sent,
 * confirmed or failed; pending entries are reconciled with the chain after a crash.
 *
 * @param db Database opened with {@link ledgerMigrations}.
 * @param options Clock.
 * @returns Functions over the ledger table.
 * @example
 * const id = ledger.recordIntent({ kind: 'harvest', reason: 'pending yield 12.3 ≥ 10× gas 0.02', params: { vault } })
 * ledger.markSent(id, hash)
 * ledger.markConfirmed(id, { gasUsed: receipt.gasUsed, blockNumber: receipt.blockNumber, amount })
 */
export function createLedgerStore(db: Database.Database, options: StoreOptions = {}) {
  const now = options.now ?? unixNow;
  const statements = {
    insert: db.prepare('INSERT INTO ledger (kind, status, reason, params, amount, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    get: db.prepare('SELECT * FROM ledger WHERE id = ?'),
    sent: db.prepare("UPDATE ledger SET status = 'sent', tx_hash = ?, updated_at = ? WHERE id = ? AND status = 'intent'"),
    finish: db.prepare(
      `UPDATE ledger SET status = @status, tx_hash = COALESCE(@txHash, tx_hash), gas_used = COALESCE(@gasUsed, gas_used),
         effective_gas_price = COALESCE(@effectiveGasPrice, effective_gas_price), block_number = COALESCE(@blockNumber, block_number),
         amount = COALESCE(@amount, amount), error = COALESCE(@error, error), updated_at = @now
       WHERE id = @id AND status IN ('intent', 'sent')`,
    ),
    pending: db.prepare("SELECT * FROM ledger WHERE status IN ('intent', 'sent') ORDER BY id"),
    lost: db.prepare("UPDATE ledger SET status = 'failed', error = ?, updated_at = ? WHERE id = ? AND status IN ('confirmed', 'reconciled')"),
    succeededWithTx: db.prepare("SELECT * FROM ledger WHERE status IN ('confirmed', 'reconciled') AND tx_hash IS NOT NULL ORDER BY id DESC LIMIT ?"),
    recent: db.prepare('SELECT * FROM ledger ORDER BY id DESC LIMIT ?'),
    recentKind: db.prepare('SELECT * FROM ledger WHERE kind = ? ORDER BY id DESC LIMIT ?'),
    since: db.prepare('SELECT kind, status, amount, gas_used FROM ledger WHERE created_at >= ? ORDER BY kind'),
    series: db.prepare(
      `SELECT created_at - (created_at % CAST(@size AS INTEGER)) AS start, kind, status, amount FROM ledger
       WHERE created_at >= @since AND created_at < @until AND (@kind IS NULL OR kind = @kind) ORDER BY start, kind`,
    ),
  };
  const get = (id: number): LedgerEntry | undefined => {
    const row = statements.get.get(id) as Row | undefined;
    return row && toEntry(row);
  };
  const refuse = (id: number, to: LedgerStatus): never => {
    const entry = get(id);
    throw new LedgerTransitionError(
      entry ? `Ledger entry ${id} (${entry.kind}) is already ${entry.status}; it cannot become ${to}.` : `Ledger entry ${id} does not exist.`,
    );
  };
  const finish = (id: number, status: LedgerStatus, fields: LedgerReceipt & { error?: string }): LedgerEntry => {
    const { changes } = statements.finish.run({
      id,
      status,
      txHash: fields.txHash ?? null,
      gasUsed: text(fields.gasUsed),
      effectiveGasPrice: text(fields.effectiveGasPrice),
      blockNumber: text(fields.blockNumber),
      amount: text(fields.amount),
      error: fields.error ?? null,
      now: now(),
    });
    if (changes === 0) refuse(id, status);
    return get(id) as LedgerEntry;
  };
  const succeeded = (status: LedgerStatus) => status === 'confirmed' || status === 'reconciled';
  return {
    /** Writes what the agent is about to do, before any transaction; returns the entry id. */
    recordIntent: (parameters: { kind: LedgerKind; reason: string; params?: Record<string, unknown>; amount?: bigint }): number => {
      const at = now();
      const { lastInsertRowid } = statements.insert.run(
        parameters.kind,
        'intent',
        parameters.reason,
        toJson(parameters.params ?? {}),
        text(parameters.amount),
        at,
        at,
      );
      return Number(lastInsertRowid);
    },
    /** The transaction (or user operation) was submitted. Only from `intent`. */
    markSent: (id: number, txHash: Hex): LedgerEntry => {
      if (statements.sent.run(txHash, now(), id).changes === 0) refuse(id, 'sent');
      return get(id) as LedgerEntry;
    },
    /** The transaction was mined successfully. From `intent` or `sent`. */
    markConfirmed: (id: number, receipt: LedgerReceipt = {}): LedgerEntry => finish(id, 'confirmed', receipt),
    /** The action failed (reverted, rejected, or never sent). From `intent` or `sent`. */
    markFailed: (id: number, error: string, receipt: LedgerReceipt = {}): LedgerEntry => finish(id, 'failed', { ...receipt, error }),
    /** After a crash, the outcome was established from the chain; `note` says what was found. */
    markReconciled: (id: number, note: string, receipt: LedgerReceipt = {}): LedgerEntry => finish(id, 'reconciled', { ...receipt, error: note }),
    /**
     * The chain no longer has this succeeded action's transaction (its state was restored from
     * before it): the entry becomes `failed` with `note`, so no total counts it. From `confirmed` or
     * `reconciled` only.
     */
    markLost: (id: number, note: string): LedgerEntry => {
      if (statements.lost.run(note, now(), id).changes === 0) refuse(id, 'failed');
      return get(id) as LedgerEntry;
    },
    /** Succeeded entries with a transaction hash, newest first: what to check after the chain was restored. */
    listSucceededWithTx: (limit = 200): LedgerEntry[] => (statements.succeededWithTx.all(limit) as Row[]).map(toEntry),
    /** One entry. */
    get,
    /** Entries not final (intent or sent), oldest first: what to reconcile after a crash. */
    listPending: (): LedgerEntry[] => (statements.pending.all() as Row[]).map(toEntry),
    /** Latest entries first, optionally of one kind. */
    listRecent: (limit = 50, kind?: LedgerKind): LedgerEntry[] =>
      ((kind === undefined ? statements.recent.all(limit) : statements.recentKind.all(kind, limit)) as Row[]).map(toEntry),
    /** Counts and sums per kind since a time (unix seconds; default all time). */
    totalsByKind: (since = 0): LedgerTotals[] => {
      const totals = new Map<string, LedgerTotals>();
      for (const row of statements.since.all(since) as Pick<Row, 'kind' | 'status' | 'amount' | 'gas_used'>[]) {
        let total = totals.get(row.kind);
        if (!total) totals.set(row.kind, (total = { kind: row.kind, count: 0, succeeded: 0, failed: 0, pending: 0, amount: 0n, gasUsed: 0n }));
        total.count++;
        if (succeeded(row.status)) {
          total.succeeded++;
          total.amount += big(row.amount) ?? 0n;
        } else if (row.status === 'failed') total.failed++;
        else total.pending++;
        total.gasUsed += big(row.gas_used) ?? 0n;
      }
      return [...totals.values()];
    },
    /** Entries per UTC hour or day and kind, with the sum of succeeded amounts, for charts. Empty buckets are omitted. */
    series: (parameters: { bucket: 'hour' | 'day'; since: number; until?: number; kind?: LedgerKind }): LedgerBucket[] => {
      const buckets = new Map<string, LedgerBucket>();
      const rows = statements.series.all({
        size: bucketSeconds[parameters.bucket],
        since: parameters.since,
        until: parameters.until ?? Number.MAX_SAFE_INTEGER,
        kind: parameters.kind ?? null,
      }) as { start: number; kind: string; status: LedgerStatus; amount: string | null }[];
      for (const row of rows) {
        const key = `${row.start}:${row.kind}`;
        let bucket = buckets.get(key);
        if (!bucket) buckets.set(key, (bucket = { start: row.start, kind: row.kind, count: 0, amount: 0n }));
        bucket.count++;
        if (succeeded(row.status)) bucket.amount += big(row.amount) ?? 0n;
      }
      return [...buckets.values()];
    },
  };
}
