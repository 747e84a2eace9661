import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJobRunsStore, JobRunStateError, jobRunsMigrations } from './createJobRunsStore.js';
import { createKvStore, kvMigrations } from './createKvStore.js';
import { openDatabase } from './openDatabase.js';

const migrations = [...jobRunsMigrations, ...kvMigrations];

describe('createJobRunsStore and createKvStore', () => {
  it('records job runs and settings across reopen', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'y2c-jobs-')), 'agent.db');
    let clock = 10;
    const db = openDatabase({ path, migrations });
    const jobRuns = createJobRunsStore(db, { now: () => clock });
    const kv = createKvStore(db);
    const ok = jobRuns.start('treasury', { tick: 1 });
    clock = 12;
    expect(jobRuns.finish(ok, { ok: true, details: { decisions: 2, spent: 5n } })).toMatchObject({
      name: 'treasury',
      startedAt: 10,
      finishedAt: 12,
      ok: true,
      details: { decisions: 2, spent: '5' },
    });
    expect(jobRuns.get(ok)?.durationMs).toBeGreaterThanOrEqual(0);
    expect(() => jobRuns.finish(ok, { ok: false })).toThrow(JobRunStateError);
    const bad = jobRuns.start('treasury');
    jobRuns.finish(bad, { ok: false, error: 'rpc down' });
    const running = jobRuns.start('settle', { note: 'x' });
    kv.set('lastScannedBlock', '1234');
    kv.setJson('cursor', { block: 10n });
    db.close();

    const again = openDatabase({ path, migrations });
    const reopened = createJobRunsStore(again);
    expect(reopened.lastRun('treasury')).toMatchObject({ id: bad, ok: false, error: 'rpc down', details: {} });
    expect(reopened.lastSuccess('treasury')?.id).toBe(ok);
    expect(reopened.lastRun('settle')).toMatchObject({ id: running, ok: undefined, finishedAt: undefined, details: { note: 'x' } });
    expect(reopened.finish(running, { ok: true }).durationMs).toBeUndefined(); // started before the restart
    expect(reopened.lastRun('reflect')).toBeUndefined();
    expect(reopened.listRecent(10, 'treasury')).toHaveLength(2);
    expect(reopened.listRecent(10)).toHaveLength(3);

    const kvAgain = createKvStore(again);
    expect(kvAgain.get('lastScannedBlock')).toBe('1234');
    expect(kvAgain.getJson('cursor')).toEqual({ block: '10' });
    expect(kvAgain.keys()).toEqual(['cursor', 'lastScannedBlock']);
    expect(kvAgain.delete('cursor')).toBe(true);
    expect(kvAgain.delete('cursor')).toBe(false);
    expect(kvAgain.get('cursor')).toBeUndefined();
  });
});
