/**
 * Issue 10 item 10: the agent trusts the provider's figures. A lying provider (a real HTTP server
 * speaking the y2c protocol: /y2c/info, paid chat completions plain and streamed, the channel
 * ledger) reports costs and spent totals the paying fetch must check against what it knows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keccak256, stringToBytes, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { formatReceipt } from '../../chain/receipt/formatReceipt.js';
import type { Receipt } from '../../chain/receipt/receiptTypes.js';
import { signReceipt } from '../../chain/receipt/signReceipt.js';
import { maxCost } from '../../chain/voucher/maxCost.js';
import { meterCost } from '../../chain/voucher/meterCost.js';
import { createPayingFetch } from '../../tools/compute/createPayingFetch.js';
import { createSqlitePayingStore, type CreateSqlitePayingStoreReturnType } from '../../tools/compute/createSqlitePayingStore.js';
import { ProviderUntrustedError } from '../../tools/compute/errors.js';

const terms = { priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n, defaultMaxTokens: 64n };
// Since receipts (issue 16): the liar signs a receipt for each response with its key, like any provider.
const liarKey = generatePrivateKey();
const liar = privateKeyToAccount(liarKey).address;
const market = privateKeyToAccount(generatePrivateKey()).address;
const chainId = 31_337;
const channelId = 7n;
const usage = { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 };
const honestCost = meterCost({ promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens }, terms);

/** What the liar reports, given the voucher's authorized amount and its own honest spent. */
type Lie = (figures: { authorized: bigint; spent: bigint }) => { cost: string; spent: string; usage?: typeof usage };
let lie: Lie = ({ spent }) => ({ cost: honestCost.toString(), spent: (spent + honestCost).toString() });
/** How the liar's receipt departs from what it reports (default: it attests exactly that). */
type ReceiptLie = (facts: Receipt) => { facts?: Receipt; key?: Hex; omit?: true; tamperBody?: true };
let receiptLie: ReceiptLie = () => ({});
let providerSpent = 0n;
let server: Server;
let origin: string;
let dir: string;
let store: CreateSqlitePayingStoreReturnType;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'y2c-liar-'));
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/y2c/info') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ provider: liar, market, chainId, priceInPerMTok: '500000', priceOutPerMTok: '1500000', defaultMaxTokens: '64', models: ['liar'] }));
    }
    if (path.startsWith('/y2c/channels/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ channelId: channelId.toString(), spent: providerSpent.toString(), authorized: '0', reserved: '0', redeemed: '0' }));
    }
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => void answer());
    const answer = async () => {
      const body = JSON.parse(text) as { stream?: boolean; model: string };
      const authorized = BigInt(String(req.headers['x-y2c-voucher']).split(':')[1] ?? '0');
      const figures = lie({ authorized, spent: providerSpent });
      if (/^[0-9]+$/.test(figures.spent)) providerSpent = BigInt(figures.spent);
      const reportedUsage = figures.usage ?? usage;
      const amount = (value: string) => (/^[0-9]+$/.test(value) ? BigInt(value) : 0n);
      /** The receipt for a response whose hashed bytes are `responseText`, as the liar chooses to sign it. */
      const receiptFor = async (responseText: string) => {
        const honest: Receipt = {
          channelId,
          requestHash: keccak256(stringToBytes(text)),
          responseHash: keccak256(stringToBytes(responseText)),
          model: body.model,
          tokensIn: BigInt(reportedUsage.prompt_tokens),
          tokensOut: BigInt(reportedUsage.completion_tokens),
          cost: amount(figures.cost),
          spentAfter: amount(figures.spent),
        };
        const how = receiptLie(honest);
        if (how.omit) return { receipt: undefined, tamper: false };
        const signed = await signReceipt({ account: privateKeyToAccount(how.key ?? liarKey), chainId, market, receipt: how.facts ?? honest });
        return { receipt: formatReceipt(signed), tamper: how.tamperBody === true };
      };
      if (!body.stream) {
        const completion = (content: string) =>
          JSON.stringify({
            id: 'c1',
            object: 'chat.completion',
            created: 0,
            model: 'liar',
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
            usage: reportedUsage,
          });
        const { receipt, tamper } = await receiptFor(completion('trust me'));
        res.writeHead(200, {
          'content-type': 'application/json',
          'x-y2c-cost': figures.cost,
          'x-y2c-spent': figures.spent,
          'x-y2c-authorized': authorized.toString(),
          ...(receipt ? { 'x-y2c-receipt': Buffer.from(JSON.stringify(receipt)).toString('base64url') } : {}),
        });
        return res.end(completion(tamper ? 'trust me, really' : 'trust me'));
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (extra: Record<string, unknown>) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'liar', ...extra })}\n\n`;
      const content = (said: string) => chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: said }, finish_reason: null }] });
      const { receipt, tamper } = await receiptFor(content('trust me'));
      res.write(content(tamper ? 'trust me, really' : 'trust me'));
      res.end(chunk({ choices: [], usage: reportedUsage, y2c: { cost: figures.cost, spent: figures.spent, authorized: authorized.toString(), ...(receipt ? { receipt } : {}) } }) + 'data: [DONE]\n\n');
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  store?.close();
  store = createSqlitePayingStore({ path: join(dir, `agent-${Date.now()}-${Math.random()}.db`) });
  providerSpent = 0n;
  lie = ({ spent }) => ({ cost: honestCost.toString(), spent: (spent + honestCost).toString() });
  receiptLie = () => ({});
});

afterAll(async () => {
  store?.close();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const payingFetch = () =>
  createPayingFetch({ account: privateKeyToAccount(generatePrivateKey()), channel: async () => channelId, caps: { perRequest: 10_000n, daily: 100_000n }, store, market, chainId });
const client = () => new OpenAI({ baseURL: `${origin}/v1`, apiKey: 'unused', maxRetries: 0, fetch: payingFetch() });
/** The ProviderUntrustedError behind an error (the OpenAI client wraps fetch failures). */
const untrustedBehind = (error: unknown): ProviderUntrustedError | undefined => {
  for (let e = error; e; e = (e as { cause?: unknown }).cause) if (e instanceof ProviderUntrustedError) return e;
  return undefined;
};
const request = { model: 'liar', messages: [{ role: 'user' as const, content: 'how much?' }] };
const bound = maxCost(request, terms).cost;

/** Runs one plain and one streamed call (each with a fresh ledger) under `next`, and returns the outcomes. */
async function underLie(next: Lie, stream: boolean) {
  lie = next;
  const openai = client();
  let error: unknown;
  try {
    if (stream) {
      const chunks = await openai.chat.completions.create({ ...request, stream: true });
      for await (const _ of chunks) void _;
    } else await openai.chat.completions.create(request);
  } catch (caught) {
    error = caught;
  }
  return { error, untrusted: await store.untrusted(liar), daily: await store.costSince(0), state: await store.getChannel(channelId) };
}

describe('the agent trusts the provider\'s figures', () => {
  it('accepts an honest provider (the check is not a refusal of everything)', async () => {
    for (const stream of [false, true]) {
      const outcome = await underLie(lie, stream);
      expect(outcome.error).toBeUndefined();
      expect(outcome.untrusted).toBeUndefined();
    }
    expect(await store.costSince(0)).toBe(2n * honestCost);
    // Both receipts verified and kept in the agent's ledger, a continuous chain: 0 → cost → 2 × cost.
    expect(store.receipts(channelId).map((r) => [r.spentAfter - r.cost, r.spentAfter])).toEqual([
      [0n, honestCost],
      [honestCost, 2n * honestCost],
    ]);
  });

  const lies: Array<[string, Lie]> = [
    ['a zero cost (bypassing the daily cap)', ({ spent }) => ({ cost: '0', spent: spent.toString() })],
    ['a negative cost', ({ spent }) => ({ cost: '-5', spent: spent.toString() })],
    ['a huge cost (blocking the agent for a day)', ({ spent }) => ({ cost: '1000000000000', spent: (spent + honestCost).toString() })],
    ['a cost that is not what its usage costs', ({ spent }) => ({ cost: (honestCost + 40n).toString(), spent: (spent + honestCost + 40n).toString() })],
    ['usage inflated past the completion cap', ({ spent }) => ({ cost: '99', spent: (spent + 99n).toString(), usage: { prompt_tokens: 10, completion_tokens: 63, total_tokens: 73 } })],
    ['spent = authorized (taking the whole voucher every time)', ({ authorized }) => ({ cost: honestCost.toString(), spent: authorized.toString() })],
  ];
  for (const [name, next] of lies) {
    for (const stream of [false, true]) {
      it(`refuses ${name}${stream ? ', streamed' : ''}, marks the provider untrusted and books at most the voucher`, async () => {
        const outcome = await underLie(next, stream);
        expect(outcome.untrusted).toMatch(/./);
        expect(untrustedBehind(outcome.error)?.shortMessage).toMatch(/untrusted/);
        expect(outcome.daily).toBeGreaterThan(0n);
        expect(outcome.daily).toBeLessThanOrEqual(bound);
        expect(outcome.state?.spent ?? 0n).toBeLessThanOrEqual(honestCost);
        // Untrusted from now on: the next call is refused before anything is signed.
        await expect(payingFetch()(`${origin}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(request) })).rejects.toBeInstanceOf(ProviderUntrustedError);
      });
    }
  }

  it('refuses with ProviderUntrustedError', async () => {
    lie = ({ spent }) => ({ cost: '0', spent: spent.toString() });
    await expect(payingFetch()(`${origin}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(request) })).rejects.toBeInstanceOf(ProviderUntrustedError);
  });
});

describe('the agent verifies every receipt', () => {
  const receiptLies: Array<[string, ReceiptLie]> = [
    ['no receipt', () => ({ omit: true })],
    ['a receipt signed by another key', () => ({ key: generatePrivateKey() })],
    ['a receipt for another response (the body changed after signing)', () => ({ tamperBody: true })],
    ['a receipt for another request', (facts) => ({ facts: { ...facts, requestHash: keccak256(stringToBytes('another request')) } })],
    ['a receipt for another channel', (facts) => ({ facts: { ...facts, channelId: facts.channelId + 1n } })],
    ['a receipt for another model', (facts) => ({ facts: { ...facts, model: 'cheaper' } })],
    ['a receipt with other token counts', (facts) => ({ facts: { ...facts, tokensOut: facts.tokensOut + 1n } })],
    ['a receipt charging more than metered', (facts) => ({ facts: { ...facts, cost: facts.cost + 1n, spentAfter: facts.spentAfter + 1n } })],
    ['a receipt with a higher spent than reported', (facts) => ({ facts: { ...facts, spentAfter: facts.spentAfter + 5n } })],
  ];
  for (const [name, next] of receiptLies) {
    for (const stream of [false, true]) {
      it(`refuses ${name}${stream ? ', streamed' : ''}, stops paying the provider and keeps no receipt`, async () => {
        receiptLie = next;
        const outcome = await underLie(lie, stream);
        expect(outcome.untrusted).toMatch(/receipt/);
        expect(untrustedBehind(outcome.error)?.shortMessage).toMatch(/untrusted: its receipt/);
        expect(outcome.daily).toBeLessThanOrEqual(bound);
        expect(store.receipts(channelId)).toEqual([]);
        await expect(payingFetch()(`${origin}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(request) })).rejects.toBeInstanceOf(ProviderUntrustedError);
      });
    }
  }
});
