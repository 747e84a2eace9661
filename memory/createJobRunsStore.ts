import type Database from 'better-sqlite3';
import { AgentError } from '../core/AgentError.js';
import type { Migration } from './openDatabase.js';
import type { StoreOptions } from './types.js';
import { unixNow } from './unixNow.js';
import { jsonReplacer } from '../core/jsonReplacer.js';

/** Schema of the job_runs table. */
export const jobRunsMigrations: readonly Migration[] = [
  {
    id: 'jobRuns/001-init',
    up: `CREATE TABLE job_runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      finished_at INTEGER,
      duration_ms INTEGER,
      ok INTEGER CHECK (ok IN (0, 1)),
      error TEXT,
      details TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX job_runs_name ON job_runs (name, id);`,
  },
];

/** One run of a scheduled job. */
export type JobRun = {
  id: number;
  name: string;
  /** Unix seconds. */
  startedAt: number;
  /** Unix seconds; undefined while running (or if the process died mid-run). */
  finishedAt: number | undefined;
  durationMs: number | undefined;
  /** Undefined while running. */
  ok: boolean | undefined;
  error: string | undefined;
  /** JSON details (bigints as decimal strings). */
  details: Record<string, unknown>;
};

/** A run was finished twice, or does not exist. */
export class JobRunStateError extends AgentError {
  override name = 'JobRunStateError' as const;
}

type Row = {
  id: number;
  name: string;
  started_at: number;
  finished_at: number | null;
  duration_ms: number | null;
  ok: 0 | 1 | null;
  error: string | null;
  details: string;
};

const toJson = (value: unknown): string => JSON.stringify(value, jsonReplacer);

const toRun = (row: Row): JobRun => ({
  id: row.id,
  name: row.name,
  startedAt: row.started_at,
  finishedAt: row.finished_at ?? undefined,
  durationMs: row.duration_ms ?? undefined,
  ok: row.ok === null ? undefined : row.ok === 1,
  error: row.error ?? undefined,
  details: JSON.parse(row.details) as Record<string, unknown>,
});

/** The job runs store. */
export type JobRunsStore = ReturnType<typeof createJobRunsStore>;

/**
 * Runs of the scheduler's jobs (treasury, settle, reflect): when, how long, and how they ended.
 *
 * @param db Database opened with {@link jobRunsMigrations}.
 * @param options Clock.
 * @returns Functions over the job_runs table.
 * @example
 * const id = jobRuns.start('treasury')
 * jobRuns.finish(id, { ok: true, details: { decisions: 2 } })
 * jobRuns.lastRun('treasury')
 */
export function createJobRunsStore(db: Database.Database, options: StoreOptions = {}) {
  const now = options.now ?? unixNow;
  const startedMs = new Map<number, number>();
  const statements = {
    start: db.prepare('INSERT INTO job_runs (name, started_at, details) VALUES (?, ?, ?)'),
    finish: db.prepare(
      'UPDATE job_runs SET finished_at = ?, duration_ms = ?, ok = ?, error = ?, details = ? WHERE id = ? AND finished_at IS NULL',
    ),
    get: db.prepare('SELECT * FROM job_runs WHERE id = ?'),
    last: db.prepare('SELECT * FROM job_runs WHERE name = ? ORDER BY id DESC LIMIT 1'),
    lastOk: db.prepare('SELECT * FROM job_runs WHERE name = ? AND ok = 1 ORDER BY id DESC LIMIT 1'),
    recent: db.prepare('SELECT * FROM job_runs WHERE (? IS NULL OR name = ?) ORDER BY id DESC LIMIT ?'),
  };
  const get = (id: number): JobRun | undefined => {
    const row = statements.get.get(id) as Row | undefined;
    return row && toRun(row);
  };
  return {
    /** Records that a job started; returns the run id. */
    start: (name: string, details: Record<string, unknown> = {}): number => {
      const { lastInsertRowid } = statements.start.run(name, now(), toJson(details));
      const id = Number(lastInsertRowid);
      startedMs.set(id, performance.now());
      return id;
    },
    /** Records how a run ended; details replace those given at start when provided. */
    finish: (id: number, outcome: { ok: boolean; error?: string; details?: Record<string, unknown> }): JobRun => {
      const run = get(id);
      const began = startedMs.get(id);
      startedMs.delete(id);
      const duration = began === undefined ? null : Math.round(performance.now() - began);
      const details = outcome.details === undefined ? toJson(run?.details ?? {}) : toJson(outcome.details);
      const { changes } = statements.finish.run(now(), duration, outcome.ok ? 1 : 0, outcome.error ?? null, details, id);
      if (changes === 0) throw new JobRunStateError(run ? `Job run ${id} (${run.name}) already finished.` : `Job run ${id} does not exist.`);
      return get(id) as JobRun;
    },
    /** One run. */
    get,
    /** The latest run of a job, finished or not. */
    lastRun: (name: string): JobRun | undefined => {
      const row = statements.last.get(name) as Row | undefined;
      return row && toRun(row);
    },
    /** The latest successful run of a job. */
    lastSuccess: (name: string): JobRun | undefined => {
      const row = statements.lastOk.get(name) as Row | undefined;
      return row && toRun(row);
    },
    /** Latest runs first, optionally of one job. */
    listRecent: (limit = 50, name?: string): JobRun[] => (statements.recent.all(name ?? null, name ?? null, limit) as Row[]).map(toRun),
  };
}
