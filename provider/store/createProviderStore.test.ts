import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { signVoucher } from '../../chain/voucher/signVoucher.js';
import { PaymentRequiredError } from '../PaymentRequiredError.js';
import { createProviderStore } from './createProviderStore.js';

const market = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const account = privateKeyToAccount(generatePrivateKey());
const voucher = (channelId: bigint, authorized: bigint) => signVoucher({ account, chainId: 31337, market, channelId, authorized });
const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'y2c-provider-store-'));
  dirs.push(dir);
  return join(dir, 'provider.db');
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof PaymentRequiredError) return error.code;
    throw error;
  }
  return 'accepted';
};

describe('createProviderStore', () => {
  it('reserves, settles to the metered cost (never above the reservation) and keeps the best voucher', async () => {
    const store = createProviderStore({ path: ':memory:' });
    const first = await voucher(1n, 100n);
    const r1 = store.reserve({ voucher: first, amount: 100n, model: 'm' });
    expect(store.channel(1n)).toMatchObject({ spent: 0n, reserved: 100n, authorized: 100n, signature: first.signature });
    expect(store.settle(r1, { cost: 30n, promptTokens: 3, completionTokens: 4, outcome: 'served' })).toEqual({ cost: 30n, spent: 30n });
    const second = await voucher(1n, 80n);
    const r2 = store.reserve({ voucher: second, amount: 50n, model: 'm' });
    expect(store.settle(r2, { cost: 999n, promptTokens: 1, completionTokens: 1, outcome: 'served' })).toEqual({ cost: 50n, spent: 80n });
    // The lower second voucher does not replace the best one.
    expect(store.channel(1n)).toMatchObject({ spent: 80n, reserved: 0n, authorized: 100n, signature: first.signature });
    expect(store.charges(1n).map((c) => [c.outcome, c.cost, c.spentAfter])).toEqual([
      ['served', 30n, 30n],
      ['served', 50n, 80n],
    ]);
    store.close();
  });

  it('refuses replayed, stale and insufficient vouchers without changing anything', async () => {
    const store = createProviderStore({ path: ':memory:' });
    const v = await voucher(2n, 100n);
    const r = store.reserve({ voucher: v, amount: 60n, model: 'm' });
    expect(code(() => store.reserve({ voucher: v, amount: 1n, model: 'm' }))).toBe('voucher_replayed');
    const short = await voucher(2n, 150n);
    expect(code(() => store.reserve({ voucher: short, amount: 91n, model: 'm' }))).toBe('voucher_insufficient');
    store.settle(r, { cost: 60n, promptTokens: 1, completionTokens: 1, outcome: 'served' });
    const stale = await voucher(2n, 60n);
    expect(code(() => store.reserve({ voucher: stale, amount: 1n, model: 'm' }))).toBe('voucher_stale');
    expect(store.channel(2n)).toMatchObject({ spent: 60n, reserved: 0n, authorized: 100n });
    // A refused voucher was not consumed: the same header works once it covers the request.
    expect(code(() => store.reserve({ voucher: short, amount: 90n, model: 'm' }))).toBe('accepted');
    store.close();
  });

  it('survives a crash: reopened, the reservation is released, spent and vouchers are intact', async () => {
    const path = tempDb();
    const store = createProviderStore({ path });
    const v1 = await voucher(3n, 100n);
    store.settle(store.reserve({ voucher: v1, amount: 100n, model: 'm' }), { cost: 40n, promptTokens: 1, completionTokens: 1, outcome: 'served' });
    const v2 = await voucher(3n, 140n);
    store.reserve({ voucher: v2, amount: 100n, model: 'm' });
    // No settle: the process "dies" here (the handle is dropped without close).
    const reopened = createProviderStore({ path });
    expect(reopened.channel(3n)).toMatchObject({ spent: 40n, reserved: 100n, authorized: 140n, signature: v2.signature });
    expect(reopened.releaseAbandoned()).toBe(1);
    expect(reopened.channel(3n)).toMatchObject({ spent: 40n, reserved: 0n, authorized: 140n });
    expect(reopened.charges(3n).at(-1)).toMatchObject({ outcome: 'crashed', cost: 0n, spentAfter: 40n });
    // The crashed request paid nothing, so its voucher may be sent again (a client retrying); once.
    expect(code(() => reopened.reserve({ voucher: v2, amount: 100n, model: 'm' }))).toBe('accepted');
    expect(code(() => reopened.reserve({ voucher: v2, amount: 1n, model: 'm' }))).toBe('voucher_replayed');
    reopened.close();
    store.close();
  });

  it('lists outstanding channels until their spent is redeemed', async () => {
    const store = createProviderStore({ path: ':memory:' });
    store.settle(store.reserve({ voucher: await voucher(4n, 10n), amount: 10n, model: 'm' }), { cost: 7n, promptTokens: 1, completionTokens: 1, outcome: 'served' });
    expect(store.outstanding().map((c) => [c.channelId, c.spent])).toEqual([[4n, 7n]]);
    store.recordRedemption({ txHash: `0x${'11'.repeat(32)}`, channelId: 4n, amount: 7n, paid: 0n, status: 'skipped' });
    expect(store.outstanding()).toHaveLength(1);
    store.recordRedemption({ txHash: `0x${'22'.repeat(32)}`, channelId: 4n, amount: 7n, paid: 7n, status: 'confirmed' });
    expect(store.outstanding()).toHaveLength(0);
    expect(store.redemptions(4n).map((r) => r.status)).toEqual(['skipped', 'confirmed']);
    store.close();
  });
});
