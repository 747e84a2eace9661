import type Database from 'better-sqlite3';
import type { Migration } from './openDatabase.js';
import type { StoreOptions } from './types.js';
import { unixNow } from './unixNow.js';
import { jsonReplacer } from '../core/jsonReplacer.js';

/** Schema of the kv table. */
export const kvMigrations: readonly Migration[] = [
  {
    id: 'kv/001-init',
    up: 'CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL)',
  },
];

/** The kv store. */
export type KvStore = ReturnType<typeof createKvStore>;

/**
 * Small settings and cursors (e.g. the last block scanned). Data only: policies, caps and trust
 * come from the config and code, never from here.
 *
 * @param db Database opened with {@link kvMigrations}.
 * @param options Clock.
 * @returns get/set/delete over text values, and JSON helpers.
 * @example
 * kv.set('lastScannedBlock', '1234')
 * kv.get('lastScannedBlock') // '1234'
 */
export function createKvStore(db: Database.Database, options: StoreOptions = {}) {
  const now = options.now ?? unixNow;
  const statements = {
    get: db.prepare('SELECT value FROM kv WHERE key = ?').pluck(),
    set: db.prepare('INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'),
    delete: db.prepare('DELETE FROM kv WHERE key = ?'),
    keys: db.prepare('SELECT key FROM kv ORDER BY key').pluck(),
  };
  const get = (key: string): string | undefined => (statements.get.get(key) as string | undefined) ?? undefined;
  const set = (key: string, value: string): void => void statements.set.run(key, value, now());
  return {
    /** The value, if set. */
    get,
    /** Sets a value. */
    set,
    /** Removes a key; true when it existed. */
    delete: (key: string): boolean => statements.delete.run(key).changes > 0,
    /** Every key, sorted. */
    keys: (): string[] => statements.keys.all() as string[],
    /** The value parsed as JSON, if set. */
    getJson: <T>(key: string): T | undefined => {
      const value = get(key);
      return value === undefined ? undefined : (JSON.parse(value) as T);
    },
    /** Sets a JSON value (bigints as decimal strings). */
    setJson: (key: string, value: unknown): void =>
      set(key, JSON.stringify(value, jsonReplacer)),
  };
}
