import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { formatVoucherHeader } from '../../chain/voucher/formatVoucherHeader.js';
import { maxCost } from '../../chain/voucher/maxCost.js';
import { parseVoucherHeader } from '../../chain/voucher/parseVoucherHeader.js';
import { signVoucher } from '../../chain/voucher/signVoucher.js';
import { createOpenAiBackend } from '../../provider/backends/createOpenAiBackend.js';
import { startProvider, type StartProviderReturnType } from '../../provider/startProvider.js';
import { auditRedemptions } from '../../tools/compute/auditRedemptions.js';
import { createPayingFetch } from '../../tools/compute/createPayingFetch.js';
import { createSqlitePayingStore, type CreateSqlitePayingStoreReturnType } from '../../tools/compute/createSqlitePayingStore.js';
import { DailyCapExceededError, PerRequestCapExceededError, ProviderUntrustedError } from '../../tools/compute/errors.js';
import type { StartScriptedModelReturnType } from '../fixtures/scriptedModel.js';
import { paidProviderTerms, startPaidProvider, type StartPaidProviderReturnType } from '../fixtures/startPaidProvider.js';
import type { StartMarketReturnType } from '../fixtures/startMarket.js';

const terms = paidProviderTerms;
let m: StartMarketReturnType;
let model: StartScriptedModelReturnType;
let node: StartProviderReturnType;
let store: CreateSqlitePayingStoreReturnType;
let opened: bigint[] = [];

const providerSpent = async (id: bigint) => BigInt(((await (await fetch(`${node.origin}/y2c/channels/${id}`)).json()) as { spent: string }).spent);

/** The agent's side: open one channel to the provider on first use (a real `open` on chain). */
const channel = async ({ info }: { info: { provider: `0x${string}` } }) => {
  if (!opened[0]) opened = [await m.openChannel({ provider: info.provider, amount: 1_000_000n })];
  return opened[0]!;
};

const payingFetch = (caps = { perRequest: 10_000n, daily: 1_000_000n }) =>
  createPayingFetch({ account: m.signer, channel, caps, store, market: m.market, chainId: m.chain.id });

let world: StartPaidProviderReturnType;

beforeAll(async () => {
  world = await startPaidProvider();
  ({ m, model, node, store } = world);
});

afterAll(async () => {
  await world?.stop();
});

describe('createPayingFetch against a real provider', () => {
  it('pays completions and streams for the official client, its ledger equal to the provider\'s after every call', async () => {
    const client = new OpenAI({ baseURL: node.url, apiKey: 'unused', fetch: payingFetch() });
    for (let i = 0; i < 3; i++) {
      model.push({ content: `answer number ${i} with a few words` });
      const done = await client.chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: `question ${i}` }], max_tokens: 20 });
      expect(done.choices[0]?.message.content).toBe(`answer number ${i} with a few words`);
      const id = opened[0]!;
      expect(store.getChannel(id)?.spent).toBe(await providerSpent(id));

      model.push({ content: `streamed answer ${i}` });
      const stream = await client.chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: `stream ${i}` }], stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe(`streamed answer ${i}`);
      expect(store.getChannel(id)?.spent).toBe(await providerSpent(id));
    }
    const calls = store.calls();
    expect(calls).toHaveLength(6);
    expect(calls.reduce((sum, c) => sum + c.cost, 0n)).toBe(await providerSpent(opened[0]!));
    expect(calls.every((c) => c.cost > 0n && c.cost <= c.maxCost)).toBe(true);
  });

  it('recovers when a stream is abandoned: the provider charges the reservation, the client reconciles', async () => {
    const client = new OpenAI({ baseURL: node.url, apiKey: 'unused', fetch: payingFetch() });
    const id = opened[0]!;
    model.push({ content: Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '), chunkDelayMs: 20 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'scripted', messages: [{ role: 'user', content: 'long one' }], stream: true },
      { signal: controller.signal },
    );
    let pieces = 0;
    let text = '';
    try {
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (chunk.choices[0]?.delta.content && ++pieces === 3) controller.abort();
      }
    } catch {
      // An aborted stream may end quietly or throw, depending on where the abort lands.
    }
    expect(text.split(' ').length).toBeLessThan(40);
    // The provider notices the disconnect and settles; the next call goes through whichever view the client had.
    model.push({ content: 'still paying' });
    const next = await client.chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'after' }], max_tokens: 4 });
    expect(next.choices[0]?.message.content).toBe('still paying');
    expect(store.getChannel(id)?.spent).toBe(await providerSpent(id));
    expect((await node.store.charges(id)).some((c) => c.outcome === 'aborted')).toBe(true);
  });

  it('refuses to sign past the per-request cap and the daily cap, sending nothing', async () => {
    const body = { model: 'scripted', messages: [{ role: 'user' as const, content: 'expensive' }], max_tokens: 60 };
    const bound = maxCost(body, terms).cost;
    const requests = model.requests.length;
    const tight = payingFetch({ perRequest: bound - 1n, daily: 1_000_000n });
    await expect(tight(`${node.url}/chat/completions`, { method: 'POST', body: JSON.stringify(body) })).rejects.toBeInstanceOf(
      PerRequestCapExceededError,
    );
    const usedToday = store.costSince(Date.now() - 86_400_000);
    const daily = payingFetch({ perRequest: 10_000n, daily: usedToday + bound - 1n });
    await expect(daily(`${node.url}/chat/completions`, { method: 'POST', body: JSON.stringify(body) })).rejects.toBeInstanceOf(
      DailyCapExceededError,
    );
    // Through the official client the typed error is the cause of its connection error.
    const client = new OpenAI({ baseURL: node.url, apiKey: 'unused', fetch: tight, maxRetries: 0 });
    const failure = await client.chat.completions.create(body).catch((error: unknown) => error);
    expect((failure as { cause?: unknown }).cause).toBeInstanceOf(PerRequestCapExceededError);
    expect(model.requests.length).toBe(requests);
  });
});

describe('a voucher pays for what it covers, however often it is sent', () => {
  it('attack: the same voucher replayed, at once and one after another, never buys more than it authorizes', async () => {
    const id = await m.openChannel({ provider: m.provider.account.address, amount: 1_000_000n });
    const body = { model: 'scripted', messages: [{ role: 'user' as const, content: 'replay me' }], max_tokens: 8 };
    const bound = maxCost(body, terms).cost;
    const authorized = 3n * bound;
    const header = formatVoucherHeader(await signVoucher({ account: m.signer, chainId: m.chain.id, market: m.market, channelId: id, authorized }));
    const post = () =>
      fetch(`${node.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-y2c-voucher': header }, body: JSON.stringify(body) });
    const requests = model.requests.length;
    // Five at once, the model slow enough that the first holds last until all have asked: the three
    // maxCosts the voucher covers are held together, and the other two are refused.
    model.push(...Array.from({ length: 3 }, () => ({ content: 'two words', delayMs: 400 })));
    const burst = await Promise.all(Array.from({ length: 5 }, post));
    let served = burst.filter((r) => r.status === 200).length;
    const codes = await Promise.all(burst.filter((r) => r.status !== 200).map(async (r) => `${r.status} ${((await r.json()) as { error: { code: string } }).error.code}`));
    expect(served).toBe(3);
    expect(codes).toEqual(['402 voucher_insufficient', '402 voucher_insufficient']);
    // Then one after another until it no longer covers a request (a reply is scripted only for what may be served).
    let last: Response | undefined;
    for (let i = 0; i < 200; i++) {
      if (authorized - (await providerSpent(id)) >= bound) model.push({ content: 'two words' });
      last = await post();
      if (last.status !== 200) break;
      served++;
    }
    expect(served).toBeGreaterThan(3);
    expect(last?.status).toBe(402);
    expect(((await last!.json()) as { error: { code: string } }).error.code).toBe('voucher_insufficient');
    const spent = await providerSpent(id);
    expect(spent).toBeLessThanOrEqual(authorized);
    expect(authorized - spent).toBeLessThan(bound);
    expect((await node.store.channel(id)).reserved).toBe(0n);
    // Every request served reached the model once; every refusal reached it never.
    expect(model.requests.length - requests).toBe(served);
    const charges = (await node.store.charges(id)).filter((c) => c.outcome === 'served');
    expect(charges).toHaveLength(served);
    expect(charges.reduce((sum, c) => sum + c.cost, 0n)).toBe(spent);
  });

  it('the paying fetch signs exactly spent + maxCost, also when that is below a total it signed before', async () => {
    const sent: bigint[] = [];
    const watching: typeof fetch = (input, init) => {
      const header = new Headers(init?.headers).get('x-y2c-voucher');
      if (header) sent.push(parseVoucherHeader(header).authorized);
      return fetch(input, init);
    };
    const ownStore = createSqlitePayingStore({ path: join(world.dir, 'exact.db') });
    const own: bigint[] = [];
    const paying = createPayingFetch({
      account: m.signer,
      channel: async ({ info }) => (own[0] ??= await m.openChannel({ provider: info.provider, amount: 1_000_000n })),
      caps: { perRequest: 100_000n, daily: 1_000_000n },
      store: ownStore,
      market: m.market,
      chainId: m.chain.id,
      fetch: watching,
    });
    const client = new OpenAI({ baseURL: node.url, apiKey: 'unused', fetch: paying, maxRetries: 0 });
    // A long cap first (its cost is far below its bound), then short ones: each needs less than was signed before.
    const asks = [60, 4, 4, 4].map((max_tokens, i) => ({ model: 'scripted', messages: [{ role: 'user' as const, content: `exact ${i}` }], max_tokens }));
    for (const ask of asks) {
      const spentBefore = own[0] ? await providerSpent(own[0]) : 0n;
      model.push({ content: 'ok' });
      const done = await client.chat.completions.create(ask);
      expect(done.choices[0]?.message.content).toBe('ok');
      expect(sent.at(-1)).toBe(spentBefore + maxCost(ask, terms).cost);
    }
    expect(sent).toHaveLength(asks.length);
    expect(sent[1]!).toBeLessThan(sent[0]!);
    expect(ownStore.getChannel(own[0]!)?.spent).toBe(await providerSpent(own[0]!));
    ownStore.close();
  });
});

describe('auditRedemptions', () => {
  it('finds an honest settlement honest, and catches a provider that redeems more than it reported', async () => {
    const id = opened[0]!;
    await node.settler.settle();
    const honest = await auditRedemptions({ client: m.provider, market: m.market, store });
    expect(honest.untrusted).toEqual([]);
    expect(honest.channels).toEqual([
      expect.objectContaining({ channelId: id, honest: true, redeemed: store.getChannel(id)!.spent, reported: store.getChannel(id)!.spent }),
    ]);

    // The provider's key redeems the full amount of the best voucher, above the spent it reported.
    const best = await node.store.channel(id);
    expect(best.authorized).toBeGreaterThan(best.spent);
    const hash = await m.provider.writeContract({
      address: m.market,
      abi: computeMarketAbi,
      functionName: 'redeem',
      args: [id, best.authorized, best.authorized, best.signature!],
    });
    expect((await m.provider.waitForTransactionReceipt({ hash })).status).toBe('success');

    const audit = await auditRedemptions({ client: m.provider, market: m.market, store });
    expect(audit.untrusted).toEqual([m.provider.account.address]);
    expect(audit.channels[0]).toMatchObject({ channelId: id, honest: false, redeemed: best.authorized });
    expect(audit.channels[0]?.evidence).toContain(hash);
    expect(store.untrusted(m.provider.account.address)).toMatch(/redeemed/);

    const requests = model.requests.length;
    const client = new OpenAI({ baseURL: node.url, apiKey: 'unused', fetch: payingFetch(), maxRetries: 0 });
    const refused = await client.chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect((refused as { cause?: unknown }).cause).toBeInstanceOf(ProviderUntrustedError);
    expect(model.requests.length).toBe(requests);
  });
});
