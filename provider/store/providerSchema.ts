import type { Migration } from '../../memory/openDatabase.js';

/** A column kind, rendered per SQL dialect. */
export type ColumnKind =
  /** Auto-incremented row id. */
  | 'id'
  /** Decimal amounts (payment-token units, exact at any size), hashes, ids. */
  | 'text'
  /** Small counts (tokens). */
  | 'integer'
  /** Milliseconds since the epoch. */
  | 'millis';

/** One column: name, kind, and optionally nullable, primary key, a CHECK list or a default. */
export type ColumnDescription = {
  name: string;
  kind: ColumnKind;
  nullable?: true;
  primaryKey?: true;
  oneOf?: readonly string[];
  default?: string;
};

/** One schema step: tables to create, columns to add, indexes to create. */
export type SchemaStep = {
  id: string;
  tables?: ReadonlyArray<{ name: string; columns: readonly ColumnDescription[] }>;
  addColumns?: ReadonlyArray<{ table: string; column: ColumnDescription }>;
  indexes?: ReadonlyArray<{ name: string; table: string; columns: readonly string[] }>;
};

/** The SQL dialects the provider ledger runs on. */
export type SqlDialect = 'sqlite' | 'postgres';

/**
 * The provider's ledger, described once; {@link providerMigrationsFor} renders it for SQLite (the
 * embedded default) and PostgreSQL (a fleet of frontends). Amounts are decimal TEXT.
 * - `provider_channels`: per channel, `spent` (metered and final) and the best voucher (highest `authorized`).
 * - `provider_vouchers`: every voucher accepted, by its normalized header (a log: a voucher may pay again while it covers a request).
 * - `provider_reservations`: `maxCost` held while a request is served, by the frontend (`owner`) serving it.
 * - `provider_charges`: one row per request outcome.
 * - `provider_receipts`: every receipt the provider signed (JSON wire form), to answer an accusation.
 * - `provider_redemptions`: every on-chain redemption attempt, per channel, with its transaction hash and
 *   whether the market paid it (`confirmed`), skipped it inside redeemMany (`skipped`) or the tx reverted.
 */
export const providerSchema = [
  {
    id: 'provider/001-ledger',
    tables: [
      {
        name: 'provider_channels',
        columns: [
          { name: 'channel_id', kind: 'text', primaryKey: true },
          { name: 'spent', kind: 'text' },
          { name: 'authorized', kind: 'text' },
          { name: 'signature', kind: 'text' },
          { name: 'updated_at', kind: 'millis' },
        ],
      },
      {
        name: 'provider_vouchers',
        columns: [
          { name: 'header', kind: 'text', primaryKey: true },
          { name: 'channel_id', kind: 'text' },
          { name: 'authorized', kind: 'text' },
          { name: 'accepted_at', kind: 'millis' },
        ],
      },
      {
        name: 'provider_reservations',
        columns: [
          { name: 'id', kind: 'id' },
          { name: 'channel_id', kind: 'text' },
          { name: 'amount', kind: 'text' },
          { name: 'model', kind: 'text' },
          { name: 'voucher', kind: 'text' },
          { name: 'created_at', kind: 'millis' },
        ],
      },
      {
        name: 'provider_charges',
        columns: [
          { name: 'id', kind: 'id' },
          { name: 'channel_id', kind: 'text' },
          { name: 'model', kind: 'text' },
          { name: 'outcome', kind: 'text', oneOf: ['served', 'aborted', 'upstream_failed', 'crashed'] },
          { name: 'reserved', kind: 'text' },
          { name: 'cost', kind: 'text' },
          { name: 'prompt_tokens', kind: 'integer', nullable: true },
          { name: 'completion_tokens', kind: 'integer', nullable: true },
          { name: 'spent_after', kind: 'text' },
          { name: 'at', kind: 'millis' },
        ],
      },
      {
        name: 'provider_redemptions',
        columns: [
          { name: 'id', kind: 'id' },
          { name: 'tx_hash', kind: 'text' },
          { name: 'channel_id', kind: 'text' },
          { name: 'amount', kind: 'text' },
          { name: 'paid', kind: 'text' },
          { name: 'status', kind: 'text', oneOf: ['confirmed', 'skipped', 'reverted'] },
          { name: 'at', kind: 'millis' },
        ],
      },
    ],
    indexes: [
      { name: 'provider_reservations_channel', table: 'provider_reservations', columns: ['channel_id'] },
      { name: 'provider_charges_channel', table: 'provider_charges', columns: ['channel_id'] },
      { name: 'provider_redemptions_channel', table: 'provider_redemptions', columns: ['channel_id'] },
    ],
  },
  {
    // A fleet: the frontend holding a reservation, so a survivor releases only a dead one's.
    id: 'provider/002-reservation-owner',
    addColumns: [{ table: 'provider_reservations', column: { name: 'owner', kind: 'text', default: "''" } }],
  },
  {
    // Every receipt signed (delivered or not): the provider's answer to an over-redemption accusation.
    id: 'provider/003-receipts',
    tables: [
      {
        name: 'provider_receipts',
        columns: [
          { name: 'id', kind: 'id' },
          { name: 'channel_id', kind: 'text' },
          { name: 'spent_after', kind: 'text' },
          { name: 'receipt', kind: 'text' },
          { name: 'at', kind: 'millis' },
        ],
      },
    ],
    indexes: [{ name: 'provider_receipts_channel', table: 'provider_receipts', columns: ['channel_id'] }],
  },
] as const satisfies readonly SchemaStep[];

const types: Record<SqlDialect, Record<ColumnKind, string>> = {
  sqlite: { id: 'INTEGER PRIMARY KEY AUTOINCREMENT', text: 'TEXT', integer: 'INTEGER', millis: 'INTEGER' },
  postgres: { id: 'BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY', text: 'TEXT', integer: 'INTEGER', millis: 'BIGINT' },
};

function renderColumn(column: ColumnDescription, dialect: SqlDialect): string {
  const parts = [column.name, types[dialect][column.kind]];
  if (column.kind !== 'id') {
    if (column.primaryKey) parts.push('PRIMARY KEY');
    else if (!column.nullable) parts.push('NOT NULL');
    if (column.default !== undefined) parts.push(`DEFAULT ${column.default}`);
    if (column.oneOf) parts.push(`CHECK (${column.name} IN (${column.oneOf.map((v) => `'${v}'`).join(', ')}))`);
  }
  return parts.join(' ');
}

/**
 * Renders a schema description as migrations for one dialect (same ids in both).
 *
 * @param dialect `sqlite` or `postgres`.
 * @param schema The description (default: the provider ledger's).
 * @returns Migrations, in order.
 * @example openDatabase({ path, migrations: providerMigrationsFor('sqlite') });
 */
export function providerMigrationsFor(dialect: SqlDialect, schema: readonly SchemaStep[] = providerSchema): Migration[] {
  return schema.map((step) => {
    const statements = [
      ...(step.tables ?? []).map((table) => `CREATE TABLE ${table.name} (\n  ${table.columns.map((c) => renderColumn(c, dialect)).join(',\n  ')}\n);`),
      ...(step.addColumns ?? []).map(({ table, column }) => `ALTER TABLE ${table} ADD COLUMN ${renderColumn(column, dialect)};`),
      ...(step.indexes ?? []).map((index) => `CREATE INDEX ${index.name} ON ${index.table} (${index.columns.join(', ')});`),
    ];
    return { id: step.id, up: statements.join('\n') };
  });
}
