import type Database from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';

/** Parameters of {@link mergeComputeDatabase}. */
export type MergeComputeDatabaseParameters = {
  /** The agent's database (opened with every agent migration). */
  db: Database.Database;
  /** The previous version's paying store, e.g. `.y2c/compute.db`. */
  path: string;
};

/** What {@link mergeComputeDatabase} did. */
export type MergeComputeDatabaseReturnType = {
  /** False when there was no old file. */
  merged: boolean;
  /** Channels whose signed total and reported spend were carried over (each only ever raised). */
  channels: number;
  /** Old channels the agent's memory does not know (left in the renamed file). */
  skippedChannels: string[];
  receipts: number;
  untrusted: number;
  /** Where the old file now is. */
  movedTo: string | undefined;
};

const max = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * The one migration path from two stores to one: a data directory of the previous version keeps the
 * paying client's state in `compute.db` beside `agent.db`. This copies it into the agent's database
 * once (in one transaction): each channel's `authorized` and `spent` are raised to the old values
 * (never lowered), the distrust list and the provider receipts are added; the old calls are not
 * copied, since that version journaled every paid call in agent.db's `calls` too. The old file is
 * then renamed `compute.db.merged`, so a restart does not merge it again.
 *
 * @param parameters The agent's database and the old file's path.
 * @returns What was carried over.
 * @example mergeComputeDatabase({ db: memory.db, path: join(config.dataDir, 'compute.db') })
 */
export function mergeComputeDatabase(parameters: MergeComputeDatabaseParameters): MergeComputeDatabaseReturnType {
  const { db, path } = parameters;
  const none: MergeComputeDatabaseReturnType = { merged: false, channels: 0, skippedChannels: [], receipts: 0, untrusted: 0, movedTo: undefined };
  if (!existsSync(path)) return none;
  db.prepare('ATTACH DATABASE ? AS old').run(path);
  let result: MergeComputeDatabaseReturnType;
  try {
    const tables = new Set(db.prepare("SELECT name FROM old.sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    result = db.transaction((): MergeComputeDatabaseReturnType => {
      const skippedChannels: string[] = [];
      let channels = 0;
      if (tables.has('compute_channels')) {
        const known = db.prepare('SELECT authorized, spent FROM main.channels WHERE channel_id = ?');
        const raise = db.prepare('UPDATE main.channels SET authorized = ?, spent = ? WHERE channel_id = ?');
        for (const row of db.prepare('SELECT channel_id, spent, authorized FROM old.compute_channels').all() as { channel_id: string; spent: string; authorized: string }[]) {
          const current = known.get(row.channel_id) as { authorized: string; spent: string } | undefined;
          if (!current) {
            skippedChannels.push(row.channel_id);
            continue;
          }
          raise.run(max(BigInt(current.authorized), BigInt(row.authorized)).toString(), max(BigInt(current.spent), BigInt(row.spent)).toString(), row.channel_id);
          channels++;
        }
      }
      const untrusted = tables.has('compute_untrusted')
        ? db.prepare('INSERT OR IGNORE INTO main.compute_untrusted (provider, reason, at) SELECT provider, reason, at FROM old.compute_untrusted').run().changes
        : 0;
      const receipts = tables.has('compute_receipts')
        ? db
            .prepare(
              `INSERT INTO main.compute_receipts (channel_id, provider, step, request_hash, response_hash, model, tokens_in, tokens_out, cost, spent_after, signature)
               SELECT channel_id, provider, step, request_hash, response_hash, model, tokens_in, tokens_out, cost, spent_after, signature FROM old.compute_receipts ORDER BY id`,
            )
            .run().changes
        : 0;
      return { merged: true, channels, skippedChannels, receipts, untrusted, movedTo: undefined };
    })();
  } finally {
    db.prepare('DETACH DATABASE old').run();
  }
  const movedTo = `${path}.merged`;
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${movedTo}${suffix}`);
  return { ...result, movedTo };
}
