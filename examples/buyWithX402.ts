/**
 * Buys completions from the local y2c provider with the official x402 client (`@x402/fetch` and
 * `@x402/evm`) and a plain key, as any x402 wallet would: no channel to open, no y2c code on the
 * paying side. `exact` pays each request's price by an EIP-3009 signature; `batch-settlement`
 * deposits once into the x402 escrow and then signs a voucher per request.
 *
 * Run `npm start` in one terminal, then in another:
 * `npx tsx examples/buyWithX402.ts batch-settlement "Once upon a time"` (or `exact`).
 */
import { readFileSync } from 'node:fs';
import { x402Client } from '@x402/core/client';
import { decodePaymentResponseHeader } from '@x402/core/http';
import { toClientEvmSigner } from '@x402/evm';
import { BatchSettlementEvmScheme } from '@x402/evm/batch-settlement/client';
import { ExactEvmScheme } from '@x402/evm/exact/client';
import { wrapFetchWithPayment } from '@x402/fetch';
import { createPublicClient, createWalletClient, formatUnits, http, parseUnits } from 'viem';
import { foundry } from 'viem/chains';
import { usdxAbi } from '../chain/abi/generated/usdx.js';
import type { Deployment } from '../chain/deploy/deployment.js';
import { devAccount } from '../devnet/devAccounts.js';

const runtime = JSON.parse(readFileSync('.y2c/runtime.json', 'utf8')) as { rpcUrl: string; providerUrl?: string };
const deployment = JSON.parse(readFileSync('.y2c/deployment.json', 'utf8')) as Deployment;
if (!runtime.providerUrl) throw new Error('no provider is running: start one with `npm start`');
const scheme = process.argv[2] === 'exact' ? 'exact' : 'batch-settlement';

// A third party: anvil dev account 8 with 1 USDx from the devnet faucet (it needs no ETH to pay).
const { account } = devAccount(8);
const publicClient = createPublicClient({ chain: foundry, transport: http(runtime.rpcUrl), pollingInterval: 100 });
const wallet = createWalletClient({ account, chain: foundry, transport: http(runtime.rpcUrl), pollingInterval: 100 });
const hash = await wallet.writeContract({ address: deployment.usdx, abi: usdxAbi, functionName: 'faucet', args: [account.address, parseUnits('1', 6)] });
await publicClient.waitForTransactionReceipt({ hash });

// The official client: one scheme registered for the devnet's CAIP-2 network, USDx allowed as an asset.
const network = `eip155:${foundry.id}` as const;
const signer = toClientEvmSigner(account, publicClient as never);
const client = new x402Client()
  .register(network, scheme === 'exact' ? new ExactEvmScheme(signer) : new BatchSettlementEvmScheme(signer))
  .setSpendControls({ allowedAssets: [{ network, asset: deployment.usdx }] });
const paidFetch = wrapFetchWithPayment(fetch, client);

const models = (await (await fetch(`${runtime.providerUrl}/models`)).json()) as { data: { id: string }[] };
const response = await paidFetch(`${runtime.providerUrl}/chat/completions`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: models.data[0]?.id ?? 'y2c-chat', messages: [{ role: 'user', content: process.argv[3] ?? 'Once upon a time' }], max_tokens: 32 }),
});
if (!response.ok) throw new Error(`${response.status}: ${await response.text()}`);
const completion = (await response.json()) as { choices: { message: { content: string } }[] };
const settlement = decodePaymentResponseHeader(response.headers.get('payment-response') ?? '');
console.log(completion.choices[0]?.message.content);
console.log(`paid with x402 ${scheme}: ${formatUnits(BigInt(response.headers.get('x-y2c-cost') ?? '0'), 6)} USDx${settlement.transaction ? ` (tx ${settlement.transaction})` : ''}`);
