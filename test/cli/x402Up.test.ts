/**
 * Issue 14, done-when: `npm start`'s provider (the real `y2c up`, spawned) is payable by the official
 * x402 client. A plain viem key holding only USDx buys a completion with `@x402/fetch` + `exact`, then
 * with `batch-settlement` (deposit through the canonical escrow placed on the devnet by the deployment).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x402Client } from '@x402/core/client';
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from '@x402/core/http';
import { toClientEvmSigner } from '@x402/evm';
import { BatchSettlementEvmScheme } from '@x402/evm/batch-settlement/client';
import { ExactEvmScheme } from '@x402/evm/exact/client';
import { wrapFetchWithPayment } from '@x402/fetch';
import { createPublicClient, createWalletClient, http, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { x402BatchSettlementAddress } from '../../chain/deploy/deployX402.js';
import { freePort } from '../../devnet/freePort.js';
import { anvilKeys } from '../fixtures/startMarket.js';
import { startUp, type StartUpReturnType } from '../fixtures/startUp.js';

const network = 'eip155:31337' as const;
let dataDir: string;
let up: StartUpReturnType;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'y2c-x402-up-'));
  up = await startUp({
    Y2C_DATA_DIR: dataDir,
    Y2C_ANVIL_PORT: String(await freePort()),
    Y2C_BUNDLER_PORT: String(await freePort()),
    Y2C_PROVIDER_PORT: String(await freePort()),
    Y2C_CHAT_PORT: String(await freePort()),
  });
}, 240_000);

afterAll(async () => {
  await up?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('the official x402 client buys completions from `y2c up`\'s provider, exact and batch-settlement', async () => {
  const rpcUrl = up.url('chain (anvil)');
  const providerUrl = up.url('provider');
  const chain = { ...foundry, rpcUrls: { default: { http: [rpcUrl] } } };
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
  const { usdx } = JSON.parse(readFileSync(join(dataDir, 'deployment.json'), 'utf8')) as { usdx: Address };
  const owner = createWalletClient({ chain, transport: http(rpcUrl), account: privateKeyToAccount(anvilKeys[0]) });
  const buyer = privateKeyToAccount(generatePrivateKey());
  await publicClient.waitForTransactionReceipt({
    hash: await owner.writeContract({ address: usdx, abi: usdxAbi, functionName: 'faucet', args: [buyer.address, 10_000_000n] }),
  });
  const models = (await (await fetch(`${providerUrl}/models`)).json()) as { data: { id: string }[] };
  const body = JSON.stringify({ model: models.data[0]!.id, messages: [{ role: 'user', content: 'hello' }], max_tokens: 8 });
  const post = (fetcher: typeof fetch) => fetcher(`${providerUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  const unpaid = await post(fetch);
  expect(unpaid.status).toBe(402);
  const offer = decodePaymentRequiredHeader(unpaid.headers.get('payment-required')!);
  expect(offer.accepts.map((a) => a.scheme).sort()).toEqual(['batch-settlement', 'exact']);

  const signer = toClientEvmSigner(buyer, publicClient as never);
  const exact = new x402Client().register(network, new ExactEvmScheme(signer)).setSpendControls({ allowedAssets: [{ network, asset: usdx }] });
  const paidExact = await post(wrapFetchWithPayment(fetch, exact));
  expect(paidExact.status, await paidExact.clone().text()).toBe(200);
  expect(decodePaymentResponseHeader(paidExact.headers.get('payment-response')!).success).toBe(true);
  const price = BigInt(offer.accepts[0]!.amount);
  expect(await publicClient.readContract({ address: usdx, abi: usdxAbi, functionName: 'balanceOf', args: [buyer.address] })).toBe(10_000_000n - price);

  const batch = new x402Client().register(network, new BatchSettlementEvmScheme(signer)).setSpendControls({ allowedAssets: [{ network, asset: usdx }] });
  const paidBatch = await post(wrapFetchWithPayment(fetch, batch));
  expect(paidBatch.status, await paidBatch.clone().text()).toBe(200);
  expect(((await paidBatch.json()) as { object: string }).object).toBe('chat.completion');
  expect(await publicClient.readContract({ address: usdx, abi: usdxAbi, functionName: 'balanceOf', args: [x402BatchSettlementAddress] })).toBeGreaterThan(0n);
}, 240_000);
