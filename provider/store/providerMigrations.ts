import type { Migration } from '../../memory/openDatabase.js';
import { providerMigrationsFor } from './providerSchema.js';

/** The provider ledger's migrations for SQLite, rendered from the one description in providerSchema.ts. */
export const providerMigrations: readonly Migration[] = providerMigrationsFor('sqlite');
