/**
 * Buys one completion from the local y2c provider with the official `openai` client, as any third
 * party would: open a payment channel in the market, sign a voucher for exactly what the request
 * may cost, and send it in the `x-y2c-voucher` header.
 *
 * Run `npm start` in one terminal, then in another: `npx tsx examples/buyCompletion.ts "Once upon a time"`.
 */
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { createPublicClient, createWalletClient, formatUnits, http, parseUnits, parseEventLogs } from 'viem';
import { foundry } from 'viem/chains';
import { computeMarketAbi } from '../chain/abi/generated/computeMarket.js';
import { usdxAbi } from '../chain/abi/generated/usdx.js';
import type { Deployment } from '../chain/deploy/deployment.js';
import { devAccount } from '../devnet/devAccounts.js';
import { formatVoucherHeader } from '../chain/voucher/formatVoucherHeader.js';
import { maxCost } from '../chain/voucher/maxCost.js';
import { signVoucher } from '../chain/voucher/signVoucher.js';

const runtime = JSON.parse(readFileSync('.y2c/runtime.json', 'utf8')) as { rpcUrl: string; providerUrl?: string };
const deployment = JSON.parse(readFileSync('.y2c/deployment.json', 'utf8')) as Deployment;
if (!runtime.providerUrl) throw new Error('no provider is running: start one with `npm start`');
const baseURL = runtime.providerUrl;

// A third party: anvil dev account 9, paying with USDx from the devnet faucet.
const { account } = devAccount(9);
const publicClient = createPublicClient({ chain: foundry, transport: http(runtime.rpcUrl), pollingInterval: 100 });
const wallet = createWalletClient({ account, chain: foundry, transport: http(runtime.rpcUrl), pollingInterval: 100 });
const info = (await (await fetch(new URL('/y2c/info', baseURL))).json()) as {
  provider: `0x${string}`;
  priceInPerMTok: string;
  priceOutPerMTok: string;
  defaultMaxTokens: string;
  models: string[];
};

// 1. Open a channel of 1 USDx to the provider, with this account as the voucher signer.
const deposit = parseUnits('1', 6);
const send = async (hash: Promise<`0x${string}`>) => publicClient.waitForTransactionReceipt({ hash: await hash });
await send(wallet.writeContract({ address: deployment.usdx, abi: usdxAbi, functionName: 'faucet', args: [account.address, deposit] }));
await send(wallet.writeContract({ address: deployment.usdx, abi: usdxAbi, functionName: 'approve', args: [deployment.computeMarket, deposit] }));
const opened = await send(
  wallet.writeContract({ address: deployment.computeMarket, abi: computeMarketAbi, functionName: 'open', args: [info.provider, account.address, deposit] }),
);
const [event] = parseEventLogs({ abi: computeMarketAbi, eventName: 'ChannelOpened', logs: opened.logs });
if (!event) throw new Error('no ChannelOpened event');
const channelId = event.args.channelId;

// 2. Sign a voucher for exactly the most this request can cost (nothing spent yet on this channel).
const request = { model: info.models[0] ?? 'y2c-chat', messages: [{ role: 'user' as const, content: process.argv[2] ?? 'Once upon a time' }], max_tokens: 32 };
const { cost } = maxCost(request, {
  priceInPerMTok: BigInt(info.priceInPerMTok),
  priceOutPerMTok: BigInt(info.priceOutPerMTok),
  defaultMaxTokens: BigInt(info.defaultMaxTokens),
});
const voucher = await signVoucher({ account, chainId: foundry.id, market: deployment.computeMarket, channelId, authorized: cost });

// 3. The official client, the voucher in a header.
const client = new OpenAI({ baseURL, apiKey: 'not-needed' });
const { data, response } = await client.chat.completions
  .create(request, { headers: { 'x-y2c-voucher': formatVoucherHeader(voucher) } })
  .withResponse();
console.log(data.choices[0]?.message.content);
console.log(
  `channel ${channelId}: authorized ${formatUnits(cost, 6)} USDx, charged ${formatUnits(BigInt(response.headers.get('x-y2c-cost') ?? '0'), 6)} USDx for ${data.usage?.prompt_tokens} + ${data.usage?.completion_tokens} tokens`,
);
