/**
 * Issue 14, done-when, both ways on the real `y2c up` (spawned, `npm start`'s code):
 * - its provider is payable by the official x402 client: a plain viem key holding only USDx buys a
 *   completion with `@x402/fetch` + `exact`, then with `batch-settlement` (deposit through the canonical
 *   escrow placed on the devnet by the deployment);
 * - its agent pays an x402 seller built with the official `@x402/express` middleware: the config names
 *   the seller (`agent.x402.sellers`) and the service (`agent.x402.services`), the bootstrap grants the
 *   session the x402 scope, and the autonomous loop (a reflect tick whose scripted model calls
 *   `buy_x402_service`) deposits from the TBA and pays with a session-key voucher. Nobody re-grants the
 *   session. The provider's upstream is the scripted model (the one allowed double: a capable LLM).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x402Client } from '@x402/core/client';
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from '@x402/core/http';
import { toClientEvmSigner } from '@x402/evm';
import { BatchSettlementEvmScheme } from '@x402/evm/batch-settlement/client';
import { ExactEvmScheme } from '@x402/evm/exact/client';
import { wrapFetchWithPayment } from '@x402/fetch';
import { createPublicClient, createWalletClient, http, isAddressEqual, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentAccountAbi } from '../../chain/abi/generated/agentAccount.js';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { x402BatchSettlementAbi } from '../../chain/abi/generated/x402BatchSettlement.js';
import { x402BatchSettlementAddress } from '../../chain/deploy/deployX402.js';
import { x402DepositSelector } from '../../chain/wallet/agentSessionPolicy.js';
import { devAccount } from '../../devnet/devAccounts.js';
import { freePort } from '../../devnet/freePort.js';
import { startOfficialX402Seller, type StartOfficialX402SellerReturnType } from '../fixtures/startOfficialX402Seller.js';
import { startScriptedModel, type ScriptedRequest, type StartScriptedModelReturnType } from '../fixtures/scriptedModel.js';
import { anvilKeys } from '../fixtures/startMarket.js';
import { startUp, type StartUpReturnType } from '../fixtures/startUp.js';

const network = 'eip155:31337' as const;
let dataDir: string;
let up: StartUpReturnType;
let model: StartScriptedModelReturnType;
let seller: StartOfficialX402SellerReturnType;
const sellerKey = devAccount(9).account;
const answerPrice = 1_000n; // 0.001 USDx

/** The autonomous loop's reflection buys the allowlisted answer once; everything else gets a plain reply. */
const reply = (request: ScriptedRequest) => {
  const reflecting = request.messages.some((message) => typeof message.content === 'string' && message.content.startsWith('Scheduled reflection'));
  const bought = request.messages.some((message) => message.role === 'tool');
  if (reflecting && !bought) return { toolCalls: [{ name: 'buy_x402_service', arguments: JSON.stringify({ url: `${seller.origin}/answer` }) }] };
  return { content: 'ok' };
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'y2c-x402-up-'));
  const anvilPort = await freePort();
  model = await startScriptedModel({ replies: reply, models: ['y2c-chat'] });
  seller = await startOfficialX402Seller({ rpcUrl: `http://127.0.0.1:${anvilPort}`, seller: sellerKey, routes: [{ path: '/answer', price: answerPrice, body: { answer: 42 } }] });
  const configPath = join(dataDir, 'y2c.config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      provider: { backend: 'openai', upstream: { url: model.url } },
      agent: {
        x402: { sellers: [sellerKey.address], services: [{ name: 'answers', url: `${seller.origin}/answer`, maxPrice: '0.01' }] },
        schedules: { reflect: '*/5 * * * * *' },
      },
    }),
  );
  up = await startUp({
    Y2C_CONFIG: configPath,
    Y2C_DATA_DIR: dataDir,
    Y2C_ANVIL_PORT: String(anvilPort),
    Y2C_BUNDLER_PORT: String(await freePort()),
    Y2C_PROVIDER_PORT: String(await freePort()),
    Y2C_CHAT_PORT: String(await freePort()),
  });
}, 240_000);

afterAll(async () => {
  await up?.stop();
  await seller?.stop();
  await model?.stop();
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

it('`y2c up`\'s agent pays an official @x402/express seller from its autonomous loop, with the session its bootstrap granted', async () => {
  const rpcUrl = up.url('chain (anvil)');
  const chain = { ...foundry, rpcUrls: { default: { http: [rpcUrl] } } };
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
  const deployment = JSON.parse(readFileSync(join(dataDir, 'deployment.json'), 'utf8')) as { usdx: Address; agent: { tba: Address; sessionKey: Address } };
  seller.open(deployment.usdx);
  // The bootstrap's grant (by the community's timelock) already holds the x402 scope: deposit on the escrow.
  const [policy] = await publicClient.readContract({ address: deployment.agent.tba, abi: agentAccountAbi, functionName: 'getSession', args: [deployment.agent.sessionKey] });
  expect(policy.calls).toContainEqual({ target: x402BatchSettlementAddress, selector: x402DepositSelector });
  expect(policy.counterparties.some((address) => isAddressEqual(address, sellerKey.address))).toBe(true);
  // A reflect tick (every 5 s here) asks the scripted model, which calls buy_x402_service.
  // (A reflect tick before `open` got the seller's 503, and paid nothing: the answer is looked for among all tool results.)
  const text = (content: unknown) => (typeof content === 'string' ? content : JSON.stringify(content));
  const toolResult = () => model.requests.flatMap((request) => request.messages).find((message) => message.role === 'tool' && text(message.content).includes('42'));
  const deadline = Date.now() + 150_000;
  while (((seller.served.get('/answer') ?? 0) === 0 || !toolResult()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
  expect(seller.served.get('/answer'), up.output().slice(-3_000)).toBeGreaterThan(0);
  // The model got the seller's answer back as the tool's result (the tool call's reply, on the next turn).
  expect(text(toolResult()?.content)).toMatch(/Bought from answers \(200\)[\s\S]*answer\W+42/);
  // On chain: the TBA funded a channel to the seller, with the session key as payerAuthorizer.
  const deposits = await publicClient.getContractEvents({ address: x402BatchSettlementAddress, abi: x402BatchSettlementAbi, eventName: 'Deposited', args: { payer: deployment.agent.tba }, fromBlock: 0n });
  expect(deposits).toHaveLength(1);
  expect(deposits[0]!.args.amount).toBe(10n * answerPrice);
  // Nobody re-granted: the key's only grant is the bootstrap's.
  const grants = await publicClient.getContractEvents({ address: deployment.agent.tba, abi: agentAccountAbi, eventName: 'SessionGranted', fromBlock: 0n });
  expect(grants).toHaveLength(1);
}, 240_000);
