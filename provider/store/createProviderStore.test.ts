import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { signVoucher } from '../../chain/voucher/signVoucher.js';
import { PaymentRequiredError } from '../PaymentRequiredError.js';
import { startPostgres, type StartPostgresReturnType } from '../../test/fixtures/startPostgres.js';
import { openProviderStore } from './openProviderStore.js';

const market = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const account = privateKeyToAccount(generatePrivateKey());
const voucher = (channelId: bigint, authorized: bigint) => signVoucher({ account, chainId: 31337, market, channelId, authorized });
const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'y2c-provider-store-'));
  dirs.push(dir);
  return join(dir, 'provider.db');
};

// The same suite against both stores: SQLite (a file) and PostgreSQL (a real server, a database per test).
const kinds = ['sqlite', 'postgres'] as const;
let postgres: StartPostgresReturnType | undefined;
let databases = 0;
const place = async (kind: (typeof kinds)[number]) => (kind === 'sqlite' ? tempDb() : postgres!.createDatabase(`store${++databases}`));

beforeAll(async () => {
  postgres = await startPostgres();
});

afterAll(async () => {
  await postgres?.stop();
});

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const code = async (fn: () => Promise<unknown>) => {
  try {
    await fn();
  } catch (error) {
    if (error instanceof PaymentRequiredError) return error.code;
    throw error;
  }
  return 'accepted';
};

describe.each(kinds)('provider store on %s', (kind) => {
  it('reserves, settles to the metered cost (never above the reservation) and keeps the best voucher', async () => {
    const store = await openProviderStore({ store: await place(kind) });
    const first = await voucher(1n, 100n);
    const r1 = await store.reserve({ voucher: first, amount: 100n, model: 'm' });
    expect(await store.channel(1n)).toMatchObject({ spent: 0n, reserved: 100n, authorized: 100n, signature: first.signature });
    expect(await store.settle(r1, { cost: 30n, promptTokens: 3, completionTokens: 4, outcome: 'served' })).toEqual({ cost: 30n, spent: 30n });
    const second = await voucher(1n, 80n);
    const r2 = await store.reserve({ voucher: second, amount: 50n, model: 'm' });
    expect(await store.settle(r2, { cost: 999n, promptTokens: 1, completionTokens: 1, outcome: 'served' })).toEqual({ cost: 50n, spent: 80n });
    // The lower second voucher does not replace the best one.
    expect(await store.channel(1n)).toMatchObject({ spent: 80n, reserved: 0n, authorized: 100n, signature: first.signature });
    expect((await store.charges(1n)).map((c) => [c.outcome, c.cost, c.spentAfter])).toEqual([
      ['served', 30n, 30n],
      ['served', 50n, 80n],
    ]);
    await store.close();
  });

  it('refuses replayed-past-cover, stale and insufficient vouchers without changing anything', async () => {
    const store = await openProviderStore({ store: await place(kind) });
    const v = await voucher(2n, 100n);
    const r = await store.reserve({ voucher: v, amount: 60n, model: 'm' });
    // Sent again, a voucher buys only what it still covers (100 − 60 held): issue 18 made a repeat
    // legal while it covers the request (before, any repeat was `voucher_replayed`).
    expect(await code(() => store.reserve({ voucher: v, amount: 41n, model: 'm' }))).toBe('voucher_insufficient');
    const short = await voucher(2n, 150n);
    expect(await code(() => store.reserve({ voucher: short, amount: 91n, model: 'm' }))).toBe('voucher_insufficient');
    await store.settle(r, { cost: 60n, promptTokens: 1, completionTokens: 1, outcome: 'served' });
    const stale = await voucher(2n, 60n);
    expect(await code(() => store.reserve({ voucher: stale, amount: 1n, model: 'm' }))).toBe('voucher_stale');
    expect(await store.channel(2n)).toMatchObject({ spent: 60n, reserved: 0n, authorized: 100n });
    // A refused voucher was not consumed: the same header works once it covers the request.
    expect(await code(() => store.reserve({ voucher: short, amount: 90n, model: 'm' }))).toBe('accepted');
    await store.close();
  });

  it('survives a crash: reopened, the reservation is released, spent and vouchers are intact', async () => {
    const path = await place(kind);
    const store = await openProviderStore({ store: path });
    const v1 = await voucher(3n, 100n);
    await store.settle(await store.reserve({ voucher: v1, amount: 100n, model: 'm' }), { cost: 40n, promptTokens: 1, completionTokens: 1, outcome: 'served' });
    const v2 = await voucher(3n, 140n);
    await store.reserve({ voucher: v2, amount: 100n, model: 'm' });
    // No settle: the process "dies" here (SQLite: the handle is dropped; PostgreSQL: its connections end).
    if (kind === 'postgres') await store.close();
    const reopened = await openProviderStore({ store: path });
    expect(await reopened.channel(3n)).toMatchObject({ spent: 40n, reserved: 100n, authorized: 140n, signature: v2.signature });
    expect(await reopened.releaseAbandoned()).toBe(1);
    expect(await reopened.channel(3n)).toMatchObject({ spent: 40n, reserved: 0n, authorized: 140n });
    expect((await reopened.charges(3n)).at(-1)).toMatchObject({ outcome: 'crashed', cost: 0n, spentAfter: 40n });
    // The crashed request paid nothing, so its voucher may be sent again (a client retrying), while it covers.
    expect(await code(() => reopened.reserve({ voucher: v2, amount: 100n, model: 'm' }))).toBe('accepted');
    expect(await code(() => reopened.reserve({ voucher: v2, amount: 1n, model: 'm' }))).toBe('voucher_insufficient');
    await reopened.close();
    await store.close();
  });

  it('lists outstanding channels until their spent is redeemed', async () => {
    const store = await openProviderStore({ store: await place(kind) });
    await store.settle(await store.reserve({ voucher: await voucher(4n, 10n), amount: 10n, model: 'm' }), { cost: 7n, promptTokens: 1, completionTokens: 1, outcome: 'served' });
    expect((await store.outstanding()).map((c) => [c.channelId, c.spent])).toEqual([[4n, 7n]]);
    await store.recordRedemption({ txHash: `0x${'11'.repeat(32)}`, channelId: 4n, amount: 7n, paid: 0n, status: 'skipped' });
    expect(await store.outstanding()).toHaveLength(1);
    await store.recordRedemption({ txHash: `0x${'22'.repeat(32)}`, channelId: 4n, amount: 7n, paid: 7n, status: 'confirmed' });
    expect(await store.outstanding()).toHaveLength(0);
    expect((await store.redemptions(4n)).map((r) => r.status)).toEqual(['skipped', 'confirmed']);
    await store.close();
  });
});

describe('provider store on postgres: a fleet of frontends on one ledger', () => {
  it('serializes reservations of three frontends on one channel: the sum held never exceeds the best voucher', async () => {
    const url = await place('postgres');
    const frontends = await Promise.all([0, 1, 2].map(() => openProviderStore({ store: url })));
    // 90 requests race on channel 5, each with its own voucher (1000..1089), each holding 40.
    const vouchers = await Promise.all(Array.from({ length: 90 }, (_, i) => voucher(5n, 1000n + BigInt(i))));
    const outcomes = await Promise.all(
      vouchers.map(async (v, i) => {
        try {
          return await frontends[i % 3]!.reserve({ voucher: v, amount: 40n, model: 'm' });
        } catch (error) {
          if (error instanceof PaymentRequiredError) return error.code;
          throw error;
        }
      }),
    );
    const held = outcomes.filter((o) => typeof o !== 'string');
    const refused = outcomes.filter((o) => typeof o === 'string');
    expect(new Set(refused)).toEqual(new Set(['voucher_insufficient']));
    // Each acceptance saw every other hold: 40 × held never exceeds the best voucher taken (≤ 1089 < 28 × 40).
    const ledger = await frontends[0]!.channel(5n);
    expect(ledger.reserved).toBe(40n * BigInt(held.length));
    expect(ledger.reserved).toBeLessThanOrEqual(ledger.authorized);
    expect(held.length).toBeGreaterThanOrEqual(25);
    expect(held.length).toBeLessThanOrEqual(27);
    await Promise.all(held.map((r, i) => frontends[i % 3]!.settle(r, { cost: 40n, promptTokens: 1, completionTokens: 1, outcome: 'served' })));
    expect(await frontends[1]!.channel(5n)).toMatchObject({ spent: 40n * BigInt(held.length), reserved: 0n });
    expect((await frontends[2]!.charges(5n)).map((c) => c.spentAfter)).toEqual(Array.from({ length: held.length }, (_, i) => BigInt(40 * (i + 1))));
    await Promise.all(frontends.map((f) => f.close()));
  });

  it("releases only a dead frontend's reservations; the survivors' stay held", async () => {
    const url = await place('postgres');
    const [a, b] = await Promise.all([openProviderStore({ store: url }), openProviderStore({ store: url })]);
    await a!.reserve({ voucher: await voucher(6n, 100n), amount: 30n, model: 'm' });
    const kept = await b!.reserve({ voucher: await voucher(6n, 101n), amount: 30n, model: 'm' });
    expect(await b!.releaseAbandoned()).toBe(0);
    await a!.close();
    expect(await b!.releaseAbandoned()).toBe(1);
    expect(await b!.releaseAbandoned()).toBe(0);
    expect(await b!.channel(6n)).toMatchObject({ spent: 0n, reserved: 30n });
    expect(await b!.settle(kept, { cost: 20n, promptTokens: 1, completionTokens: 1, outcome: 'served' })).toEqual({ cost: 20n, spent: 20n });
    await b!.close();
  });

  it('elects one settlement leader; when it is gone another frontend takes over', async () => {
    const url = await place('postgres');
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => openProviderStore({ store: url })));
    expect(await a!.lead()).toBe(true);
    expect(await a!.lead()).toBe(true);
    expect(await b!.lead()).toBe(false);
    expect(await c!.lead()).toBe(false);
    await a!.close();
    const leaders = [await b!.lead(), await c!.lead()];
    expect(leaders.filter(Boolean)).toHaveLength(1);
    await Promise.all([b!.close(), c!.close()]);
  });
});
