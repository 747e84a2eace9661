import Database from 'better-sqlite3';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AgentError } from '../core/AgentError.js';

/** A schema change, applied once, in order, inside a transaction. */
export type Migration = {
  /** Unique and stable, e.g. `provider/001-vouchers`. */
  id: string;
  /** SQL to run. */
  up: string;
};

/** Parameters of {@link openDatabase}. */
export type OpenDatabaseParameters = {
  /** File path, or `:memory:`. */
  path: string;
  /** Migrations of every store that uses this database, applied in order. */
  migrations: readonly Migration[];
};

/** The database is damaged: start-up must stop rather than write on top of it. */
export class DatabaseCorruptError extends AgentError {
  override name = 'DatabaseCorruptError' as const;
}

/**
 * Opens (or creates) a SQLite database in WAL mode with full synchronous durability, checks its
 * integrity, and applies pending migrations.
 *
 * @param parameters Where, and which migrations.
 * @returns The open database.
 * @example const db = openDatabase({ path: '.y2c/agent.db', migrations: [...ledgerMigrations] });
 */
export function openDatabase(parameters: OpenDatabaseParameters): Database.Database {
  const { path, migrations } = parameters;
  // Private: the folder it creates is 0700, the file 0600 (SQLite gives its -wal/-shm files the same mode).
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let db: Database.Database;
  try {
    db = new Database(path);
    if (path !== ':memory:') chmodSync(path, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(String(check));
  } catch (cause) {
    throw new DatabaseCorruptError(`The database at ${path} is corrupt or unreadable.`, {
      cause,
      details: 'Restore it from a backup, or move it aside to start with an empty one (the chain keeps all funds).',
      docsPath: '#troubleshooting',
    });
  }
  db.exec('CREATE TABLE IF NOT EXISTS migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set(db.prepare('SELECT id FROM migrations').pluck().all() as string[]);
  const record = db.prepare('INSERT INTO migrations (id, applied_at) VALUES (?, ?)');
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    db.transaction(() => {
      db.exec(migration.up);
      record.run(migration.id, Date.now());
    })();
  }
  return db;
}
