import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erc20Abi, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { formatVoucherHeader } from '../../chain/voucher/formatVoucherHeader.js';
import { maxCost } from '../../chain/voucher/maxCost.js';
import { meterCost } from '../../chain/voucher/meterCost.js';
import { signVoucher } from '../../chain/voucher/signVoucher.js';
import { createOpenAiBackend } from '../../provider/backends/createOpenAiBackend.js';
import { deregisterProvider } from '../../provider/register/deregisterProvider.js';
import { registerProvider } from '../../provider/register/registerProvider.js';
import { updateProvider } from '../../provider/register/updateProvider.js';
import { parseMessage } from '../../protocol/parseMessage.js';
import { errorBodySchema } from '../../protocol/schemas.js';
import { startProvider, type StartProviderReturnType } from '../../provider/startProvider.js';
import { countWords, startScriptedModel, type StartScriptedModelReturnType } from '../fixtures/scriptedModel.js';
import { startMarket, type StartMarketReturnType } from '../fixtures/startMarket.js';

const terms = { priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n, defaultMaxTokens: 64n };
const deposit = 2_000_000n;

let m: StartMarketReturnType;
let model: StartScriptedModelReturnType;
let node: StartProviderReturnType;
let dir: string;
let channelId: bigint;

const header = async (id: bigint, authorized: bigint, account = m.signer) =>
  formatVoucherHeader(await signVoucher({ account, chainId: m.chain.id, market: m.market, channelId: id, authorized }));
const ledger = async (id: bigint) => (await (await fetch(`${node.origin}/y2c/channels/${id}`)).json()) as { spent: string; authorized: string; reserved: string };
const spentOf = async (id: bigint) => BigInt((await ledger(id)).spent);
const messages = (text: string) => [{ role: 'user' as const, content: text }];
/** The scripted model's deterministic usage for a one-message prompt. */
const usageFor = (prompt: string, reply: string) => ({ prompt_tokens: 1 + countWords(prompt), completion_tokens: countWords(reply) });
const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${node.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'y2c-provider-it-'));
  m = await startMarket();
  model = await startScriptedModel();
  node = await startProvider({
    client: m.provider,
    market: m.market,
    backend: createOpenAiBackend({ baseUrl: model.url, models: { scripted: 'scripted' } }),
    ...terms,
    maxBodyBytes: 16 * 1024,
    databasePath: join(dir, 'provider.db'),
    settleIntervalMs: 3_600_000,
  });
  channelId = await m.openChannel({ provider: m.provider.account.address, amount: deposit });
});

afterAll(async () => {
  await node?.stop({ settle: false });
  await model?.stop();
  await m?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('provider node: OpenAI API through the official client', () => {
  it('describes itself on /y2c/info and /v1/models', async () => {
    const info = await (await fetch(`${node.origin}/y2c/info`)).json();
    expect(info).toMatchObject({
      provider: m.provider.account.address,
      market: m.market,
      chainId: m.chain.id,
      priceInPerMTok: '500000',
      priceOutPerMTok: '1500000',
      defaultMaxTokens: '64',
      models: ['scripted'],
    });
    const client = new OpenAI({ baseURL: node.url, apiKey: 'unused' });
    expect((await client.models.list()).data.map((x) => x.id)).toEqual(['scripted']);
  });

  it('serves a paid completion, meters real usage and reports cost and spent', async () => {
    const prompt = 'say hello to the staking community';
    const reply = 'hello stakers, your yield pays for this very sentence';
    model.push({ content: reply });
    const body = { model: 'scripted', messages: messages(prompt), max_tokens: 32 };
    const bound = maxCost(body, terms).cost;
    const client = new OpenAI({ baseURL: node.url, apiKey: 'unused', defaultHeaders: { 'x-y2c-voucher': await header(channelId, bound) } });
    const { data, response } = await client.chat.completions.create(body).withResponse();
    const usage = usageFor(prompt, reply);
    const cost = meterCost({ promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens }, terms);
    expect(data.choices[0]?.message.content).toBe(reply);
    expect(data.usage).toMatchObject(usage);
    expect(response.headers.get('x-y2c-cost')).toBe(cost.toString());
    expect(response.headers.get('x-y2c-spent')).toBe(cost.toString());
    expect(await spentOf(channelId)).toBe(cost);
    // The provider enforced the priced cap upstream.
    expect(model.requests.at(-1)?.max_tokens).toBe(32);
  });

  it('streams with the usage chunk last, carrying the final cost under `y2c`', async () => {
    const before = await spentOf(channelId);
    const prompt = 'stream me a short reply please';
    const reply = 'one two three four five six seven';
    model.push({ content: reply });
    const body = { model: 'scripted', messages: messages(prompt) };
    const bound = maxCost(body, terms).cost;
    const client = new OpenAI({ baseURL: node.url, apiKey: 'unused' });
    const { data: stream, response } = await client.chat.completions
      .create({ ...body, stream: true }, { headers: { 'x-y2c-voucher': await header(channelId, before + bound) } })
      .withResponse();
    expect(response.headers.get('x-y2c-spent')).toBe(before.toString());
    expect(response.headers.get('x-y2c-reserved')).toBe(bound.toString());
    let text = '';
    const chunks = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    const usage = usageFor(prompt, reply);
    const cost = meterCost({ promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens }, terms);
    const last = chunks.at(-1) as (typeof chunks)[number] & { y2c?: unknown };
    expect(text).toBe(reply);
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject(usage);
    // Since receipts: the final event also carries the provider's signed receipt of the stream.
    const { receipt, ...figures } = last.y2c as Record<string, unknown>;
    expect(figures).toEqual({ cost: cost.toString(), spent: (before + cost).toString(), authorized: (before + bound).toString() });
    expect(receipt).toMatchObject({ channelId: channelId.toString(), model: body.model, cost: cost.toString(), spentAfter: (before + cost).toString() });
    expect(await spentOf(channelId)).toBe(before + cost);
    // Usage was requested upstream even though the client did not ask for it.
    expect(model.requests.at(-1)?.stream_options).toEqual({ include_usage: true });
    // The provider capped the completion at its default.
    expect(model.requests.at(-1)?.max_tokens).toBe(64);
  });

  it('passes tool calls through untouched, plain and streamed', async () => {
    const toolCalls = [{ id: 'call_vault', name: 'harvest_yield', arguments: '{"vault":"0xabc","minimum":"1000000"}' }];
    const tools = [{ type: 'function' as const, function: { name: 'harvest_yield', parameters: { type: 'object', properties: {} } } }];
    const client = new OpenAI({ baseURL: node.url, apiKey: 'unused' });
    const body = { model: 'scripted', messages: messages('harvest if worth it'), tools, max_tokens: 16 };
    const bound = maxCost(body, terms).cost;

    model.push({ toolCalls });
    let spent = await spentOf(channelId);
    const plain = await client.chat.completions.create(body, { headers: { 'x-y2c-voucher': await header(channelId, spent + bound) } });
    expect(plain.choices[0]?.finish_reason).toBe('tool_calls');
    expect(plain.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_vault', type: 'function', function: { name: 'harvest_yield', arguments: toolCalls[0]!.arguments } },
    ]);
    expect(model.requests.at(-1)?.tools).toEqual(tools);

    model.push({ toolCalls });
    spent = await spentOf(channelId);
    const stream = await client.chat.completions.create({ ...body, stream: true }, { headers: { 'x-y2c-voucher': await header(channelId, spent + bound) } });
    let name = '';
    let args = '';
    let id = '';
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        id ||= call.id ?? '';
        name += call.function?.name ?? '';
        args += call.function?.arguments ?? '';
      }
    }
    expect({ id, name, args }).toEqual({ id: 'call_vault', name: 'harvest_yield', args: toolCalls[0]!.arguments });
    expect(await spentOf(channelId)).toBeGreaterThan(spent);
  });
});

describe('provider node: refusals charge nothing', () => {
  const body = { model: 'scripted', messages: messages('hello'), max_tokens: 8 };
  const bound = () => maxCost(body, terms).cost;
  const expectRefused = async (response: Response, status: number, code: string, type = status === 402 ? 'payment_required' : undefined) => {
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: { type: string; code: string; message: string } };
    expect(json.error.code).toBe(code);
    if (type) expect(json.error.type).toBe(type);
    expect(json.error.message.length).toBeGreaterThan(10);
  };

  it('402 for a missing, malformed, foreign-signed, used-up, lower, short or over-deposit voucher', async () => {
    const spent = await spentOf(channelId);
    const requestsBefore = model.requests.length;
    await expectRefused(await post(body), 402, 'voucher_missing');
    await expectRefused(await post(body, { 'x-y2c-voucher': `${channelId}:10:0x1234` }), 402, 'voucher_malformed');
    const stranger = privateKeyToAccount(generatePrivateKey());
    await expectRefused(await post(body, { 'x-y2c-voucher': await header(channelId, spent + bound(), stranger) }), 402, 'voucher_invalid_signature');
    await expectRefused(await post(body, { 'x-y2c-voucher': await header(channelId, spent) }), 402, 'voucher_stale');
    await expectRefused(await post(body, { 'x-y2c-voucher': await header(channelId, spent + bound() - 1n) }), 402, 'voucher_insufficient');
    await expectRefused(await post(body, { 'x-y2c-voucher': await header(channelId, deposit + 1n) }), 402, 'voucher_exceeds_deposit');
    expect(await spentOf(channelId)).toBe(spent);
    expect(model.requests.length).toBe(requestsBefore);

    // A voucher that paid once is refused when it no longer covers the request (it may be sent again
    // while it does: the protocol change of issue 18, before which this was `voucher_replayed`), and the
    // refusal charges nothing.
    model.push({ content: 'fine' });
    const used = await header(channelId, spent + bound());
    expect((await post(body, { 'x-y2c-voucher': used })).status).toBe(200);
    const after = await spentOf(channelId);
    expect(after).toBeGreaterThan(spent);
    await expectRefused(await post(body, { 'x-y2c-voucher': used }), 402, 'voucher_insufficient');
    expect(await spentOf(channelId)).toBe(after);
  });

  it('402 for an unknown channel, another provider\'s channel and a closing channel', async () => {
    await expectRefused(await post(body, { 'x-y2c-voucher': await header(999n, bound()) }), 402, 'channel_not_found');
    const rogueChannel = await m.openChannel({ provider: m.rogue.account.address, amount: 100_000n });
    await expectRefused(await post(body, { 'x-y2c-voucher': await header(rogueChannel, bound()) }), 402, 'channel_wrong_provider');
    const closing = await m.openChannel({ provider: m.provider.account.address, amount: 100_000n });
    const hash = await m.payer.writeContract({ address: m.market, abi: computeMarketAbi, functionName: 'requestClose', args: [closing] });
    await m.payer.waitForTransactionReceipt({ hash });
    await expectRefused(await post(body, { 'x-y2c-voucher': await header(closing, bound()) }), 402, 'channel_closing');
    expect(await spentOf(closing)).toBe(0n);
  });

  it('400 for malformed JSON, 413 for a body over the limit, 404 for an unknown model', async () => {
    const spent = await spentOf(channelId);
    const voucher = await header(channelId, spent + bound());
    await expectRefused(await post('{"model": "scripted", "messages": [', { 'x-y2c-voucher': voucher }), 400, 'invalid_json', 'invalid_request_error');
    await expectRefused(await post({ ...body, messages: messages('x'.repeat(20_000)) }, { 'x-y2c-voucher': voucher }), 413, 'body_too_large');
    await expectRefused(await post({ ...body, model: 'gpt-9' }, { 'x-y2c-voucher': voucher }), 404, 'model_not_found');
    await expectRefused(await post({ ...body, max_tokens: -3 }, { 'x-y2c-voucher': voucher }), 400, 'invalid_max_tokens');
    // A body that is not a chat-completions request: 400 naming each field the protocol schema refused.
    const wrong = await post({ model: 5, messages: [] }, { 'x-y2c-voucher': voucher });
    expect(wrong.status).toBe(400);
    const refusal = parseMessage(errorBodySchema, 'ErrorBody', await wrong.json());
    expect(refusal.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request' });
    expect(refusal.error.message).toMatch(/model: .*; messages: /);
    expect(await spentOf(channelId)).toBe(spent);
  });

  it('502 and nothing charged when the upstream fails, before or during a stream', async () => {
    const spent = await spentOf(channelId);
    const voucher = await header(channelId, spent + bound());
    model.push({ status: 500 });
    await expectRefused(await post(body, { 'x-y2c-voucher': voucher }), 502, 'upstream_failed', 'upstream_error');
    model.push({ status: 503 });
    await expectRefused(await post({ ...body, stream: true }, { 'x-y2c-voucher': voucher }), 502, 'upstream_failed');
    // Mid-stream: the status is already 200, so the failure is an SSE error event and no usage chunk.
    model.push({ content: 'a b c d e f g h', dropAfterChunks: 3, chunkDelayMs: 30 });
    const response = await post({ ...body, stream: true }, { 'x-y2c-voucher': voucher });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('"code":"upstream_failed"');
    expect(text).not.toContain('"y2c"');
    expect(await spentOf(channelId)).toBe(spent);
    expect((await ledger(channelId)).reserved).toBe('0');
    // The voucher paid for nothing, so it still pays for a request that succeeds.
    model.push({ content: 'recovered' });
    expect((await post(body, { 'x-y2c-voucher': voucher })).status).toBe(200);
  });
});

describe('provider node: settlement and registration', () => {
  it('redeems exactly the ledger, records the transaction, and redeems at once when a close is requested', async () => {
    const spent = await spentOf(channelId);
    expect(spent).toBeGreaterThan(0n);
    const balanceBefore = await m.provider.readContract({ address: m.token, abi: erc20Abi, functionName: 'balanceOf', args: [m.provider.account.address] });
    const result = await node.settler.settle();
    expect(result.redeemed).toContainEqual({ channelId, amount: spent, paid: spent });
    const onChain = await m.provider.readContract({ address: m.market, abi: computeMarketAbi, functionName: 'getChannel', args: [channelId] });
    expect(onChain.redeemed).toBe(spent);
    const balanceAfter = await m.provider.readContract({ address: m.token, abi: erc20Abi, functionName: 'balanceOf', args: [m.provider.account.address] });
    expect(balanceAfter - balanceBefore).toBe(spent);
    expect((await node.store.redemptions(channelId)).at(-1)).toMatchObject({ txHash: result.txHash, amount: spent, paid: spent, status: 'confirmed' });
    // Nothing outstanding: a second settlement sends nothing.
    expect((await node.settler.settle()).txHash).toBeUndefined();

    // Spend a little more, then the payer asks to close: the provider redeems without being told.
    model.push({ content: 'last words' });
    const body = { model: 'scripted', messages: messages('bye'), max_tokens: 4 };
    expect((await post(body, { 'x-y2c-voucher': await header(channelId, spent + maxCost(body, terms).cost) })).status).toBe(200);
    const finalSpent = await spentOf(channelId);
    const hash = await m.payer.writeContract({ address: m.market, abi: computeMarketAbi, functionName: 'requestClose', args: [channelId] });
    await m.payer.waitForTransactionReceipt({ hash });
    const deadline = Date.now() + 15_000;
    let redeemed = 0n;
    while (Date.now() < deadline) {
      redeemed = (await m.provider.readContract({ address: m.market, abi: computeMarketAbi, functionName: 'getChannel', args: [channelId] })).redeemed;
      if (redeemed === finalSpent) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(redeemed).toBe(finalSpent);
    // And the closing channel takes no more requests.
    const refused = await post(body, { 'x-y2c-voucher': await header(channelId, finalSpent + maxCost(body, terms).cost) });
    expect(refused.status).toBe(402);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('channel_closing');
  });

  it('registers, updates and deregisters a provider with its own key', async () => {
    const key = generatePrivateKey();
    const fresh = m.clientFor(key);
    await m.deployer.waitForTransactionReceipt({
      hash: await m.deployer.sendTransaction({ to: fresh.account.address, value: 10n ** 18n }),
    });
    const terms0 = { market: m.market, endpoint: 'http://127.0.0.1:9999/v1', priceInPerMTok: 1n, priceOutPerMTok: 2n, models: ['a', 'b'] };
    const { txHash } = await registerProvider(fresh, terms0);
    expect(txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const read = () => fresh.readContract({ address: m.market, abi: computeMarketAbi, functionName: 'getProvider', args: [fresh.account.address as Address] });
    expect(await read()).toMatchObject({ endpoint: terms0.endpoint, priceInPerMTok: 1n, priceOutPerMTok: 2n, models: ['a', 'b'], active: true });
    await updateProvider(fresh, { ...terms0, priceOutPerMTok: 3n, metadata: '{"region":"local"}' });
    expect(await read()).toMatchObject({ priceOutPerMTok: 3n, metadata: '{"region":"local"}' });
    await deregisterProvider(fresh, { market: m.market });
    expect((await read()).active).toBe(false);
    const stranger = m.clientFor(generatePrivateKey() as Hex);
    await expect(updateProvider(stranger, terms0)).rejects.toMatchObject({ name: 'ProviderRegistrationError' });
  });
});
