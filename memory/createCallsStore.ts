import type Database from 'better-sqlite3';
import { getAddress, type Address } from 'viem';
import type { Migration } from './openDatabase.js';
import type { StoreOptions } from './types.js';
import { unixNow } from './unixNow.js';

/** Schema of the calls table. */
export const callsMigrations: readonly Migration[] = [
  {
    id: 'calls/001-init',
    up: `CREATE TABLE calls (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      provider TEXT NOT NULL,
      channel_id TEXT,
      member TEXT,
      model TEXT NOT NULL,
      tokens_in INTEGER NOT NULL DEFAULT 0,
      tokens_out INTEGER NOT NULL DEFAULT 0,
      cost TEXT NOT NULL DEFAULT '0',
      latency_ms INTEGER NOT NULL,
      ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
      error TEXT,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX calls_created ON calls (created_at);
    CREATE INDEX calls_provider ON calls (provider, created_at);
    CREATE INDEX calls_member ON calls (member, created_at);`,
  },
  {
    // One journal of paid calls (compute.db's compute_calls is gone): what was signed for each, the
    // channel total after it, and the time in ms for the paying fetch's daily cap.
    id: 'calls/002-paid-calls',
    up: `ALTER TABLE calls ADD COLUMN max_cost TEXT NOT NULL DEFAULT '0';
    ALTER TABLE calls ADD COLUMN spent TEXT NOT NULL DEFAULT '0';
    ALTER TABLE calls ADD COLUMN at_ms INTEGER;`,
  },
];

/** One paid inference call. */
export type Call = {
  id: number;
  provider: Address;
  channelId: bigint | undefined;
  /** Member on whose behalf it was made; undefined for the agent's own thinking. */
  member: Address | undefined;
  model: string;
  tokensIn: number;
  tokensOut: number;
  /** Token units, per the provider's `x-y2c-cost`. */
  cost: bigint;
  latencyMs: number;
  ok: boolean;
  error: string | undefined;
  /** Unix seconds. */
  createdAt: number;
  /** The most it could have cost (what was signed on top of spent), token units. */
  maxCost: bigint;
  /** The channel's total after the call, as reported. */
  spent: bigint;
  /** Unix ms (the paying fetch's clock), when it recorded one. */
  atMs: number | undefined;
};

/** Input of `record`. */
export type RecordCallParameters = {
  provider: Address;
  channelId?: bigint;
  member?: Address;
  model: string;
  tokensIn?: number;
  tokensOut?: number;
  cost?: bigint;
  latencyMs: number;
  ok: boolean;
  error?: string;
  maxCost?: bigint;
  spent?: bigint;
  /** Unix ms of the call (the paying fetch's clock). */
  atMs?: number;
};

/** Statistics of a provider, derived from calls. */
export type ProviderStats = {
  provider: Address;
  calls: number;
  failures: number;
  /** ok ÷ calls, in [0, 1]. */
  successRate: number;
  /** Median latency of successful calls, ms (0 when none). */
  p50LatencyMs: number;
  /** Sum of costs, token units. */
  spend: bigint;
};

type Row = {
  id: number;
  provider: string;
  channel_id: string | null;
  member: string | null;
  model: string;
  tokens_in: number;
  tokens_out: number;
  cost: string;
  latency_ms: number;
  ok: 0 | 1;
  error: string | null;
  created_at: number;
  max_cost: string;
  spent: string;
  at_ms: number | null;
};

const toCall = (row: Row): Call => ({
  id: row.id,
  provider: row.provider as Address,
  channelId: row.channel_id === null ? undefined : BigInt(row.channel_id),
  member: (row.member ?? undefined) as Address | undefined,
  model: row.model,
  tokensIn: row.tokens_in,
  tokensOut: row.tokens_out,
  cost: BigInt(row.cost),
  latencyMs: row.latency_ms,
  ok: row.ok === 1,
  error: row.error ?? undefined,
  createdAt: row.created_at,
  maxCost: BigInt(row.max_cost),
  spent: BigInt(row.spent),
  atMs: row.at_ms ?? undefined,
});

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The calls store. */
export type CallsStore = ReturnType<typeof createCallsStore>;

/**
 * Every paid inference call: spend for the daily caps and provider statistics (success rate,
 * median latency, spend) are derived from it rather than kept as separate state.
 *
 * @param db Database opened with {@link callsMigrations}.
 * @param options Clock.
 * @returns Functions over the calls table.
 * @example
 * calls.record({ provider, channelId, model: 'y2c-chat', tokensIn: 900, tokensOut: 200, cost: 750n, latencyMs: 840, ok: true })
 * calls.spendSince({ since: startOfDay })
 */
export function createCallsStore(db: Database.Database, options: StoreOptions = {}) {
  const now = options.now ?? unixNow;
  const statements = {
    insert: db.prepare(
      `INSERT INTO calls (provider, channel_id, member, model, tokens_in, tokens_out, cost, latency_ms, ok, error, created_at, max_cost, spent, at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    costsSinceMs: db.prepare('SELECT cost FROM calls WHERE COALESCE(at_ms, created_at * 1000) >= ?').pluck(),
    ofChannel: db.prepare('SELECT * FROM calls WHERE channel_id = ? ORDER BY id'),
    get: db.prepare('SELECT * FROM calls WHERE id = ?'),
    costs: db.prepare('SELECT cost FROM calls WHERE created_at >= ? AND (? IS NULL OR member = ?)').pluck(),
    since: db.prepare('SELECT * FROM calls WHERE created_at >= ? ORDER BY provider, id'),
    recent: db.prepare('SELECT * FROM calls ORDER BY id DESC LIMIT ?'),
  };
  return {
    /** Records a call (failed ones too: they count against the provider's health). */
    record: (parameters: RecordCallParameters): Call => {
      const cost = parameters.cost ?? 0n;
      if (cost < 0n) throw new RangeError(`record: cost must be ≥ 0, got ${cost}`);
      const { lastInsertRowid } = statements.insert.run(
        getAddress(parameters.provider),
        parameters.channelId?.toString() ?? null,
        parameters.member === undefined ? null : getAddress(parameters.member),
        parameters.model,
        parameters.tokensIn ?? 0,
        parameters.tokensOut ?? 0,
        cost.toString(),
        Math.round(parameters.latencyMs),
        parameters.ok ? 1 : 0,
        parameters.error ?? null,
        parameters.atMs === undefined ? now() : Math.floor(parameters.atMs / 1000),
        (parameters.maxCost ?? cost).toString(),
        (parameters.spent ?? 0n).toString(),
        parameters.atMs ?? null,
      );
      return toCall(statements.get.get(Number(lastInsertRowid)) as Row);
    },
    /** Total cost of calls since a time (unix seconds), optionally for one member: checks the daily caps. */
    spendSince: (parameters: { since: number; member?: Address }): bigint => {
      const member = parameters.member === undefined ? null : getAddress(parameters.member);
      return (statements.costs.all(parameters.since, member, member) as string[]).reduce((sum, cost) => sum + BigInt(cost), 0n);
    },
    /** Per-provider success rate, median latency and spend over calls since a time (default all). */
    providerStats: (since = 0): ProviderStats[] => {
      const groups = new Map<string, Row[]>();
      for (const row of statements.since.all(since) as Row[]) {
        const group = groups.get(row.provider) ?? [];
        group.push(row);
        groups.set(row.provider, group);
      }
      return [...groups.entries()].map(([provider, rows]) => {
        const ok = rows.filter((row) => row.ok === 1);
        return {
          provider: provider as Address,
          calls: rows.length,
          failures: rows.length - ok.length,
          successRate: ok.length / rows.length,
          p50LatencyMs: median(ok.map((row) => row.latency_ms)),
          spend: rows.reduce((sum, row) => sum + BigInt(row.cost), 0n),
        };
      });
    },
    /** Total cost of calls since a time in unix ms (the paying fetch's daily cap). */
    costSinceMs: (sinceMs: number): bigint => (statements.costsSinceMs.all(sinceMs) as string[]).reduce((sum, cost) => sum + BigInt(cost), 0n),
    /** The calls on one channel, oldest first. */
    ofChannel: (channelId: bigint): Call[] => (statements.ofChannel.all(channelId.toString()) as Row[]).map(toCall),
    /** Latest calls first. */
    listRecent: (limit = 50): Call[] => (statements.recent.all(limit) as Row[]).map(toCall),
  };
}
