import { createPostgresProviderStore } from './createPostgresProviderStore.js';
import { createProviderStore } from './createProviderStore.js';
import { isPostgresUrl } from './isPostgresUrl.js';
import type { ProviderStore } from './ProviderStore.js';

/** Parameters of {@link openProviderStore}. */
export type OpenProviderStoreParameters = {
  /** A SQLite file path, or a `postgres://` / `postgresql://` URL (a fleet of frontends on one ledger). */
  store: string;
};

/**
 * Opens the provider ledger named by `store`: PostgreSQL for a URL, SQLite (the embedded default) otherwise.
 *
 * @param parameters Where the ledger is.
 * @returns The store.
 * @example const store = await openProviderStore({ store: 'postgres://y2c@db/provider' });
 */
export async function openProviderStore(parameters: OpenProviderStoreParameters): Promise<ProviderStore> {
  if (isPostgresUrl(parameters.store)) return createPostgresProviderStore({ url: parameters.store });
  return createProviderStore({ path: parameters.store });
}
