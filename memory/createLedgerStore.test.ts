import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLedgerStore, LedgerTransitionError, ledgerMigrations } from './createLedgerStore.js';
import { openDatabase } from './openDatabase.js';

const hash = `0x${'ab'.repeat(32)}` as const;
const newPath = () => join(mkdtempSync(join(tmpdir(), 'y2c-ledger-')), 'agent.db');

describe('createLedgerStore', () => {
  it('walks an action from intent to confirmed, with bigints kept exact', () => {
    const db = openDatabase({ path: newPath(), migrations: ledgerMigrations });
    const ledger = createLedgerStore(db, { now: () => 7200 });
    const id = ledger.recordIntent({ kind: 'harvest', reason: 'pending 12 ≥ 10× gas', params: { vault: '0x1', min: 5n } });
    expect(ledger.get(id)).toMatchObject({ status: 'intent', kind: 'harvest', params: { vault: '0x1', min: '5' }, txHash: undefined });
    expect(ledger.markSent(id, hash)).toMatchObject({ status: 'sent', txHash: hash });
    const big = 2n ** 200n;
    expect(ledger.markConfirmed(id, { gasUsed: 81_000n, effectiveGasPrice: 10n ** 9n, blockNumber: 12n, amount: big })).toMatchObject({
      status: 'confirmed',
      txHash: hash,
      gasUsed: 81_000n,
      blockNumber: 12n,
      amount: big,
    });
  });

  it.each([
    ['confirmed', 'markSent'],
    ['confirmed', 'markConfirmed'],
    ['confirmed', 'markFailed'],
    ['failed', 'markConfirmed'],
    ['failed', 'markReconciled'],
  ] as const)('refuses to change a %s entry with %s', (final, change) => {
    const ledger = createLedgerStore(openDatabase({ path: newPath(), migrations: ledgerMigrations }));
    const id = ledger.recordIntent({ kind: 'top_up', reason: 'r' });
    if (final === 'confirmed') ledger.markConfirmed(id);
    else ledger.markFailed(id, 'reverted');
    const act = () => (change === 'markSent' ? ledger.markSent(id, hash) : change === 'markFailed' ? ledger.markFailed(id, 'x') : change === 'markReconciled' ? ledger.markReconciled(id, 'x') : ledger.markConfirmed(id));
    expect(act).toThrow(LedgerTransitionError);
    expect(() => ledger.markSent(999, hash)).toThrow(/does not exist/);
  });

  it('survives close and reopen with pending entries to reconcile', () => {
    const path = newPath();
    let clock = 0;
    const db = openDatabase({ path, migrations: ledgerMigrations });
    const ledger = createLedgerStore(db, { now: () => clock });
    const done = ledger.recordIntent({ kind: 'harvest', reason: 'a' });
    ledger.markConfirmed(done, { amount: 5n });
    const intent = ledger.recordIntent({ kind: 'open_channel', reason: 'b', amount: 3_000_000n });
    const sent = ledger.recordIntent({ kind: 'top_up', reason: 'c' });
    ledger.markSent(sent, hash);
    const failed = ledger.recordIntent({ kind: 'top_up', reason: 'd' });
    ledger.markFailed(failed, 'reverted: SessionExpired');
    db.close(); // as if the process died here

    const reopened = createLedgerStore(openDatabase({ path, migrations: ledgerMigrations }), { now: () => clock });
    expect(reopened.listPending().map((entry) => [entry.id, entry.status])).toEqual([
      [intent, 'intent'],
      [sent, 'sent'],
    ]);
    expect(reopened.get(intent)?.amount).toBe(3_000_000n);
    expect(reopened.get(failed)?.error).toBe('reverted: SessionExpired');
    reopened.markReconciled(intent, 'no transaction found; never sent');
    reopened.markReconciled(sent, 'receipt found', { gasUsed: 50_000n });
    expect(reopened.listPending()).toEqual([]);
    expect(reopened.listRecent(2).map((entry) => entry.id)).toEqual([failed, sent]);
    expect(reopened.listRecent(10, 'top_up')).toHaveLength(2);
  });

  it('totals by kind and buckets by hour and day', () => {
    let clock = 0;
    const ledger = createLedgerStore(openDatabase({ path: newPath(), migrations: ledgerMigrations }), { now: () => clock });
    const add = (at: number, kind: string, amount: bigint, ok: boolean | 'pending') => {
      clock = at;
      const id = ledger.recordIntent({ kind, reason: 'r', amount });
      if (ok === true) ledger.markConfirmed(id, { gasUsed: 100n });
      else if (ok === false) ledger.markFailed(id, 'e', { gasUsed: 21n });
    };
    add(10, 'harvest', 5n, true);
    add(3599, 'harvest', 7n, true);
    add(3600, 'harvest', 11n, true);
    add(3700, 'harvest', 1000n, false);
    add(90_000, 'top_up', 3n, true);
    add(90_001, 'top_up', 4n, 'pending');

    expect(ledger.totalsByKind()).toEqual([
      { kind: 'harvest', count: 4, succeeded: 3, failed: 1, pending: 0, amount: 23n, gasUsed: 321n },
      { kind: 'top_up', count: 2, succeeded: 1, failed: 0, pending: 1, amount: 3n, gasUsed: 100n },
    ]);
    expect(ledger.totalsByKind(3600).find((total) => total.kind === 'harvest')).toMatchObject({ count: 2, amount: 11n });
    expect(ledger.series({ bucket: 'hour', since: 0, kind: 'harvest' })).toEqual([
      { start: 0, kind: 'harvest', count: 2, amount: 12n },
      { start: 3600, kind: 'harvest', count: 2, amount: 11n },
    ]);
    expect(ledger.series({ bucket: 'day', since: 0 })).toEqual([
      { start: 0, kind: 'harvest', count: 4, amount: 23n },
      { start: 86_400, kind: 'top_up', count: 2, amount: 3n },
    ]);
    expect(ledger.series({ bucket: 'day', since: 0, until: 86_400 })).toHaveLength(1);
  });
});
