import type Database from 'better-sqlite3';
import { callsMigrations, createCallsStore } from './createCallsStore.js';
import { channelsMigrations, createChannelsStore } from './createChannelsStore.js';
import { conversationsMigrations, createConversationsStore } from './createConversationsStore.js';
import { createJobRunsStore, jobRunsMigrations } from './createJobRunsStore.js';
import { createKvStore, kvMigrations } from './createKvStore.js';
import { createLedgerStore, ledgerMigrations } from './createLedgerStore.js';
import { createMembersStore, membersMigrations } from './createMembersStore.js';
import { createSummariesStore, summariesMigrations } from './createSummariesStore.js';
import { openDatabase, type Migration } from './openDatabase.js';
import type { StoreOptions } from './types.js';

/** Every migration of the agent database, in the order they apply. */
export const agentMigrations: readonly Migration[] = [
  ...membersMigrations,
  ...conversationsMigrations,
  ...summariesMigrations,
  ...ledgerMigrations,
  ...channelsMigrations,
  ...callsMigrations,
  ...jobRunsMigrations,
  ...kvMigrations,
];

/** Parameters of {@link openAgentMemory}: the file, and an optional clock. */
export type OpenAgentMemoryParameters = [path: string, options?: StoreOptions];

/** The agent's memory: every store over one database. */
export type OpenAgentMemoryReturnType = {
  db: Database.Database;
  members: ReturnType<typeof createMembersStore>;
  conversations: ReturnType<typeof createConversationsStore>;
  summaries: ReturnType<typeof createSummariesStore>;
  ledger: ReturnType<typeof createLedgerStore>;
  channels: ReturnType<typeof createChannelsStore>;
  calls: ReturnType<typeof createCallsStore>;
  jobRuns: ReturnType<typeof createJobRunsStore>;
  kv: ReturnType<typeof createKvStore>;
  /** Closes the database (checkpointing the WAL). */
  close: () => void;
};

/**
 * Opens the agent's SQLite database with every agent migration and returns all its stores.
 *
 * @param path Database file (e.g. `.y2c/agent.db`) or `:memory:`.
 * @param options Clock shared by the stores.
 * @returns The stores and a `close()`.
 * @throws {DatabaseCorruptError} When the file is damaged.
 * @example
 * const memory = openAgentMemory(join(config.dataDir, 'agent.db'))
 * memory.ledger.listPending()
 */
export function openAgentMemory(...[path, options = {}]: OpenAgentMemoryParameters): OpenAgentMemoryReturnType {
  const db = openDatabase({ path, migrations: agentMigrations });
  return {
    db,
    members: createMembersStore(db, options),
    conversations: createConversationsStore(db, options),
    summaries: createSummariesStore(db, options),
    ledger: createLedgerStore(db, options),
    channels: createChannelsStore(db, options),
    calls: createCallsStore(db, options),
    jobRuns: createJobRunsStore(db, options),
    kv: createKvStore(db, options),
    close: () => db.close(),
  };
}
