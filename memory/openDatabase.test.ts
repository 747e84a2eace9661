import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseCorruptError, openDatabase } from './openDatabase.js';

const migrations = [
  { id: 'test/001', up: 'CREATE TABLE t (x INTEGER)' },
  { id: 'test/002', up: 'ALTER TABLE t ADD COLUMN y TEXT' },
];

describe('openDatabase', () => {
  it('applies migrations once, in WAL mode, and keeps data across reopen', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'y2c-db-')), 'a.db');
    const db = openDatabase({ path, migrations });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.prepare('INSERT INTO t (x, y) VALUES (1, ?)').run('a');
    db.close();
    const again = openDatabase({ path, migrations });
    expect(again.prepare('SELECT count(*) FROM migrations').pluck().get()).toBe(2);
    expect(again.prepare('SELECT y FROM t').pluck().get()).toBe('a');
    again.close();
  });

  it('refuses a corrupt file with a clear error', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'y2c-db-')), 'bad.db');
    writeFileSync(path, 'SQLite format 3\0' + 'garbage'.repeat(200));
    expect(() => openDatabase({ path, migrations })).toThrow(DatabaseCorruptError);
  });
});
