/**
 * Issue 14: the official x402 client (`@x402/fetch` + `@x402/evm`, a plain viem account, no y2c code)
 * buys completions from a y2c provider started by `startProvider` (the code `npm start` runs), with
 * both `exact` and `batch-settlement`, against our escrow at its canonical address on a real anvil,
 * the real provider node and the scripted model. Settlement runs in the provider's own facilitator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x402Client } from '@x402/core/client';
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from '@x402/core/http';
import { toClientEvmSigner } from '@x402/evm';
import { BatchSettlementEvmScheme } from '@x402/evm/batch-settlement/client';
import { ExactEvmScheme } from '@x402/evm/exact/client';
import { wrapFetchWithPayment } from '@x402/fetch';
import { createPublicClient, createWalletClient, custom, http, publicActions, zeroAddress, type Address, type PublicClient } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { x402BatchSettlementAbi } from '../../chain/abi/generated/x402BatchSettlement.js';
import { deployX402, x402BatchSettlementAddress } from '../../chain/deploy/deployX402.js';
import { maxCost } from '../../chain/voucher/maxCost.js';
import { meterCost } from '../../chain/voucher/meterCost.js';
import { createOpenAiBackend } from '../../provider/backends/createOpenAiBackend.js';
import { startProvider, type StartProviderReturnType } from '../../provider/startProvider.js';
import { startScriptedModel, type StartScriptedModelReturnType } from '../fixtures/scriptedModel.js';
import { startMarket, type StartMarketReturnType } from '../fixtures/startMarket.js';

const terms = { priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n, defaultMaxTokens: 64n };
const network = 'eip155:31337' as const;

let m: StartMarketReturnType;
let model: StartScriptedModelReturnType;
let node: StartProviderReturnType;
let dir: string;
let publicClient: PublicClient;
/** `eth_getBlockByNumber` calls the provider's own client made (the x402 seller reads the chain clock with it). */
let blockReads = 0;

const body = { model: 'scripted', messages: [{ role: 'user', content: 'buy me a completion' }], max_tokens: 32 };
const post = (fetcher: typeof fetch, content = 'buy me a completion') =>
  fetcher(`${node.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, messages: [{ role: 'user', content }] }),
  });
/** A fetch that remembers the PAYMENT-SIGNATURE headers it sent. */
const recording = (sent: string[]): typeof fetch => async (input, init) => {
  const request = new Request(input, init);
  const header = request.headers.get('payment-signature');
  if (header) sent.push(header);
  return fetch(request);
};
const balanceOf = (address: Address) => publicClient.readContract({ address: m.token, abi: usdxAbi, functionName: 'balanceOf', args: [address] });

/** A buyer who knows nothing of y2c: a fresh key holding USDx only (no ETH: the facilitator pays gas). */
async function newBuyer(amount: bigint) {
  const account = privateKeyToAccount(generatePrivateKey());
  const hash = await m.deployer.writeContract({ address: m.token, abi: usdxAbi, functionName: 'mint', args: [account.address, amount] });
  await m.deployer.waitForTransactionReceipt({ hash });
  return account;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'y2c-x402-seller-'));
  m = await startMarket();
  await deployX402({ publicClient: m.deployer as unknown as PublicClient, walletClient: m.deployer });
  publicClient = createPublicClient({ chain: m.chain, transport: http(m.anvil.rpcUrl) });
  // A request whose last message says "fail" makes the upstream fail (500).
  model = await startScriptedModel({
    replies: (request) => (JSON.stringify(request.messages.at(-1)?.content ?? '').includes('fail') ? { status: 500 } : { content: 'paid by x402' }),
  });
  // The provider's key behind a transport that counts block reads, forwarding everything to anvil.
  const counting = createWalletClient({
    account: m.provider.account,
    chain: m.chain,
    transport: custom({
      request: ({ method, params }: { method: string; params?: unknown }) => {
        if (method === 'eth_getBlockByNumber') blockReads += 1;
        return m.provider.request({ method, params } as never);
      },
    }),
  }).extend(publicActions);
  node = await startProvider({
    client: counting as never,
    market: m.market,
    backend: createOpenAiBackend({ baseUrl: model.url, models: { scripted: 'scripted' } }),
    ...terms,
    databasePath: join(dir, 'provider.db'),
    settleIntervalMs: 3_600_000,
    x402: { token: m.token, tokenName: 'y2c Dollar', tokenVersion: '1', storageDir: join(dir, 'x402'), claimIntervalSecs: 3_600 },
  });
}, 120_000);

afterAll(async () => {
  await node?.stop({ settle: false });
  await model?.stop();
  await m?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a y2c provider sells over x402 v2', () => {
  it('answers an unpaid request with 402, the y2c error body and a PAYMENT-REQUIRED offer of both schemes at the max cost', async () => {
    const response = await post(fetch);
    expect(response.status).toBe(402);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('voucher_missing');
    const header = response.headers.get('payment-required');
    expect(header).toBeTruthy();
    const offer = decodePaymentRequiredHeader(header!);
    expect(offer.x402Version).toBe(2);
    const schemes = offer.accepts.map((a) => a.scheme).sort();
    expect(schemes).toEqual(['batch-settlement', 'exact']);
    const price = maxCost(body, terms).cost.toString();
    for (const accept of offer.accepts) {
      expect(accept).toMatchObject({ network, amount: price, payTo: m.provider.account.address });
      expect(accept.asset.toLowerCase()).toBe(m.token.toLowerCase());
    }
    const batch = offer.accepts.find((a) => a.scheme === 'batch-settlement')!;
    expect((batch.extra.receiverAuthorizer as string).toLowerCase()).toBe(m.provider.account.address.toLowerCase());
  });

  it('reads the chain clock at most once a second, not once per request (review fix)', async () => {
    await post(fetch); // warm: the offer is built
    const before = blockReads;
    const started = Date.now();
    for (let i = 0; i < 10; i += 1) expect((await post(fetch)).status).toBe(402);
    const seconds = Math.ceil((Date.now() - started) / 1000);
    expect(blockReads - before).toBeLessThanOrEqual(seconds);
    expect(blockReads - before).toBeLessThan(10);
  });

  it('`exact`: the official client pays the price by EIP-3009 and gets the completion', async () => {
    const buyer = await newBuyer(1_000_000n);
    const client = new x402Client()
      .register(network, new ExactEvmScheme(toClientEvmSigner(buyer, publicClient as never)))
      .setSpendControls({ allowedAssets: [{ network, asset: m.token }] });
    const before = await balanceOf(m.provider.account.address);
    const response = await post(wrapFetchWithPayment(fetch, client));
    expect(response.status).toBe(200);
    const completion = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(completion.choices[0]?.message.content).toBe('paid by x402');
    const settlement = decodePaymentResponseHeader(response.headers.get('payment-response')!);
    expect(settlement.success).toBe(true);
    const price = maxCost(body, terms).cost;
    expect(await balanceOf(buyer.address)).toBe(1_000_000n - price);
    expect(await balanceOf(m.provider.account.address)).toBe(before + price);
    expect(response.headers.get('x-y2c-cost')).toBe(price.toString());
  });

  it('`batch-settlement`: the official client deposits once, then pays a voucher per request; the provider charges the metered cost and claims it', async () => {
    const buyer = await newBuyer(1_000_000n);
    const client = new x402Client()
      .register(network, new BatchSettlementEvmScheme(toClientEvmSigner(buyer, publicClient as never)))
      .setSpendControls({ allowedAssets: [{ network, asset: m.token }] });
    const paying = wrapFetchWithPayment(fetch, client);
    const first = await post(paying);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe('paid by x402');
    const charged = BigInt(first.headers.get('x-y2c-cost')!);
    const requests = model.requests.length;
    const second = await post(paying);
    expect(second.status).toBe(200);
    expect(model.requests.length).toBe(requests + 1);
    const charged2 = BigInt(second.headers.get('x-y2c-cost')!);
    // Metered, not the max: the scripted model's usage at the provider's prices.
    expect(charged).toBeLessThan(maxCost(body, terms).cost);
    expect(charged).toBeGreaterThan(0n);
    const usage = ((await second.json()) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    expect(charged2).toBe(meterCost({ promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens }, terms));

    // One deposit went into the escrow at its canonical address; the buyer signed nothing on chain after it.
    const escrowBalance = await balanceOf(x402BatchSettlementAddress);
    expect(escrowBalance).toBeGreaterThan(0n);
    expect(await balanceOf(buyer.address)).toBe(1_000_000n - escrowBalance);

    // The provider claims the vouchers in a batch and settles: it receives exactly what it charged.
    const before = await balanceOf(m.provider.account.address);
    await node.x402!.claimAndSettle();
    expect(await balanceOf(m.provider.account.address)).toBe(before + charged + charged2);
    const [totalClaimed, totalSettled] = await publicClient.readContract({
      address: x402BatchSettlementAddress,
      abi: x402BatchSettlementAbi,
      functionName: 'receivers',
      args: [m.provider.account.address, m.token],
    });
    expect(totalClaimed).toBe(charged + charged2);
    expect(totalSettled).toBe(totalClaimed);
  });

  it('`exact`: a replayed PAYMENT-SIGNATURE is refused before the model runs, and pays nothing twice', async () => {
    const buyer = await newBuyer(1_000_000n);
    const client = new x402Client()
      .register(network, new ExactEvmScheme(toClientEvmSigner(buyer, publicClient as never)))
      .setSpendControls({ allowedAssets: [{ network, asset: m.token }] });
    const sent: string[] = [];
    expect((await post(wrapFetchWithPayment(recording(sent), client))).status).toBe(200);
    expect(sent).toHaveLength(1);
    const after = await balanceOf(buyer.address);
    const requests = model.requests.length;
    const replay = await fetch(`${node.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'payment-signature': sent[0]! },
      body: JSON.stringify(body),
    });
    expect(replay.status).toBe(402);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toMatch(/^x402_/);
    expect(model.requests.length).toBe(requests);
    expect(await balanceOf(buyer.address)).toBe(after);
  });

  it('`exact`: an upstream failure charges nothing (502, the authorization is never submitted)', async () => {
    const buyer = await newBuyer(1_000_000n);
    const client = new x402Client()
      .register(network, new ExactEvmScheme(toClientEvmSigner(buyer, publicClient as never)))
      .setSpendControls({ allowedAssets: [{ network, asset: m.token }] });
    const before = await balanceOf(m.provider.account.address);
    const response = await post(wrapFetchWithPayment(fetch, client), 'please fail');
    expect(response.status).toBe(502);
    expect(await balanceOf(buyer.address)).toBe(1_000_000n);
    expect(await balanceOf(m.provider.account.address)).toBe(before);
  });

  it('`batch-settlement`: a failed completion is not charged; the provider claims exactly what it served', async () => {
    await node.x402!.claimAndSettle().catch(() => undefined); // start from a settled ledger
    const buyer = await newBuyer(1_000_000n);
    const client = new x402Client()
      .register(network, new BatchSettlementEvmScheme(toClientEvmSigner(buyer, publicClient as never)))
      .setSpendControls({ allowedAssets: [{ network, asset: m.token }] });
    const paying = wrapFetchWithPayment(fetch, client);
    const first = await post(paying);
    expect(first.status).toBe(200);
    const failed = await post(paying, 'please fail');
    expect(failed.status).toBe(502);
    const third = await post(paying);
    expect(third.status, await third.clone().text()).toBe(200);
    const served = BigInt(first.headers.get('x-y2c-cost')!) + BigInt(third.headers.get('x-y2c-cost')!);
    const before = await balanceOf(m.provider.account.address);
    await node.x402!.claimAndSettle();
    expect(await balanceOf(m.provider.account.address)).toBe(before + served);
  });

  it('`batch-settlement`: refuses a channel whose payerAuthorizer is zero (vouchers checked by ERC-1271 can be taken back after serving)', async () => {
    const buyer = await newBuyer(1_000_000n);
    const client = new x402Client()
      .register(network, new BatchSettlementEvmScheme(toClientEvmSigner(buyer, publicClient as never), { payerAuthorizer: zeroAddress }))
      .setSpendControls({ allowedAssets: [{ network, asset: m.token }] });
    const requests = model.requests.length;
    const escrowBefore = await balanceOf(x402BatchSettlementAddress);
    const response = await post(wrapFetchWithPayment(fetch, client));
    expect(response.status).toBe(402);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('x402_payer_authorizer_required');
    expect(model.requests.length).toBe(requests);
    expect(await balanceOf(buyer.address)).toBe(1_000_000n);
    expect(await balanceOf(x402BatchSettlementAddress)).toBe(escrowBefore);
  });
});
