import type { Migration } from '../../memory/openDatabase.js';

/**
 * The provider's ledger. Amounts are decimal TEXT (payment-token units, exact at any size).
 * - `provider_channels`: per channel, `spent` (metered and final) and the best voucher (highest `authorized`).
 * - `provider_vouchers`: every voucher accepted, by its normalized header (replay protection).
 * - `provider_reservations`: `maxCost` held while a request is served; settled or released.
 * - `provider_charges`: one row per request outcome.
 * - `provider_redemptions`: every on-chain redemption attempt, per channel, with its transaction hash and
 *   whether the market paid it (`confirmed`), skipped it inside redeemMany (`skipped`) or the tx reverted.
 */
export const providerMigrations = [
  {
    id: 'provider/001-ledger',
    up: `
      CREATE TABLE provider_channels (
        channel_id TEXT PRIMARY KEY,
        spent TEXT NOT NULL,
        authorized TEXT NOT NULL,
        signature TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE provider_vouchers (
        header TEXT PRIMARY KEY,
        channel_id TEXT NOT NULL,
        authorized TEXT NOT NULL,
        accepted_at INTEGER NOT NULL
      );
      CREATE TABLE provider_reservations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel_id TEXT NOT NULL,
        amount TEXT NOT NULL,
        model TEXT NOT NULL,
        voucher TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX provider_reservations_channel ON provider_reservations (channel_id);
      CREATE TABLE provider_charges (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel_id TEXT NOT NULL,
        model TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('served', 'aborted', 'upstream_failed', 'crashed')),
        reserved TEXT NOT NULL,
        cost TEXT NOT NULL,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        spent_after TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX provider_charges_channel ON provider_charges (channel_id);
      CREATE TABLE provider_redemptions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        tx_hash TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        amount TEXT NOT NULL,
        paid TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('confirmed', 'skipped', 'reverted')),
        at INTEGER NOT NULL
      );
      CREATE INDEX provider_redemptions_channel ON provider_redemptions (channel_id);
    `,
  },
] as const satisfies readonly Migration[];
