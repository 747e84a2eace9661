/**
 * Issue 10 item 9: the provider serves more than it prices. Every field that can make the upstream
 * read or write more tokens is priced or refused, and only known fields are forwarded; against the
 * real provider node, a real market on anvil and the scripted model.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatVoucherHeader } from '../../chain/voucher/formatVoucherHeader.js';
import { maxCost } from '../../chain/voucher/maxCost.js';
import { signVoucher } from '../../chain/voucher/signVoucher.js';
import { createOpenAiBackend } from '../../provider/backends/createOpenAiBackend.js';
import { startProvider, type StartProviderReturnType } from '../../provider/startProvider.js';
import { startScriptedModel, type StartScriptedModelReturnType } from '../fixtures/scriptedModel.js';
import { startMarket, type StartMarketReturnType } from '../fixtures/startMarket.js';

const terms = { priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n, defaultMaxTokens: 64n };

let m: StartMarketReturnType;
let model: StartScriptedModelReturnType;
let node: StartProviderReturnType;
let dir: string;
let channelId: bigint;

const spentOf = async () => BigInt(((await (await fetch(`${node.origin}/y2c/channels/${channelId}`)).json()) as { spent: string }).spent);
/** Posts `body` with a voucher for exactly spent + what the client computes the body may cost. */
const pay = async (body: Record<string, unknown>) => {
  const authorized = (await spentOf()) + maxCost(body, terms).cost;
  const voucher = formatVoucherHeader(await signVoucher({ account: m.signer, chainId: m.chain.id, market: m.market, channelId, authorized }));
  return fetch(`${node.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-y2c-voucher': voucher },
    body: JSON.stringify(body),
  });
};
const messages = [{ role: 'user', content: 'price me' }];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'y2c-pricing-'));
  m = await startMarket();
  model = await startScriptedModel({ replies: () => ({ content: 'a priced reply' }) });
  node = await startProvider({
    client: m.provider,
    market: m.market,
    backend: createOpenAiBackend({ baseUrl: model.url, models: { scripted: 'scripted' } }),
    ...terms,
    databasePath: join(dir, 'provider.db'),
    settleIntervalMs: 3_600_000,
  });
  channelId = await m.openChannel({ provider: m.provider.account.address, amount: 2_000_000n });
});

afterAll(async () => {
  await node?.stop({ settle: false });
  await model?.stop();
  await m?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the provider serves more than it prices', () => {
  it('refuses n > 1 with a clear 400 and forwards nothing', async () => {
    const before = model.requests.length;
    const response = await pay({ model: 'scripted', messages, n: 4 });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'unsupported_parameter', message: expect.stringMatching(/\bn\b/) });
    expect(model.requests.length).toBe(before);
  });

  it('refuses the legacy functions field and logprobs, which the price does not cover', async () => {
    const functions = [{ name: 'read_everything', description: 'x'.repeat(4_000), parameters: { type: 'object', properties: {} } }];
    for (const extra of [{ functions }, { function_call: 'auto' }, { logprobs: true, top_logprobs: 20 }, { best_of: 3 }]) {
      const response = await pay({ model: 'scripted', messages, ...extra });
      expect(response.status, JSON.stringify(Object.keys(extra))).toBe(400);
    }
  });

  it('prices response_format and tool_choice into the prompt bound, so a voucher that leaves them out is short', async () => {
    const schema = { type: 'json_schema', json_schema: { name: 'big', schema: { type: 'object', description: 'y'.repeat(4_000) } } };
    const withFormat = { model: 'scripted', messages, response_format: schema };
    expect(maxCost(withFormat, terms).cost).toBeGreaterThan(maxCost({ messages }, terms).cost + 1_000n);
    // A voucher priced without the schema does not cover the request.
    const authorized = (await spentOf()) + maxCost({ messages }, terms).cost;
    const voucher = formatVoucherHeader(await signVoucher({ account: m.signer, chainId: m.chain.id, market: m.market, channelId, authorized }));
    const short = await fetch(`${node.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-y2c-voucher': voucher },
      body: JSON.stringify(withFormat),
    });
    expect(short.status).toBe(402);
    expect((await pay(withFormat)).status).toBe(200);
  });

  it('forwards only the fields it understands', async () => {
    const response = await pay({ model: 'scripted', messages, temperature: 0.2, n: 1, mystery_knob: 'more', prediction: { type: 'content', content: 'z'.repeat(100) } });
    expect(response.status).toBe(200);
    const upstream = model.requests.at(-1)!;
    expect(upstream).toMatchObject({ temperature: 0.2, max_tokens: 64 });
    expect(upstream).not.toHaveProperty('mystery_knob');
    expect(upstream).not.toHaveProperty('prediction');
  });
});
