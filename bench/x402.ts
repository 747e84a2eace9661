/**
 * x402 benchmark (issue 14): gas of the x402 batch-settlement escrow (deposit, claim per channel in a
 * batch of ten, settle) against the ComputeMarket (open, redeemMany per channel), all sent directly by
 * EOAs on the same anvil; and the latency of a request paid with x402 (official `@x402/fetch` client,
 * `batch-settlement` after its deposit, and `exact`) against one paid with a y2c voucher, on the same
 * provider node and zero-latency echo backend. Writes bench/results/x402.json. Run: `npx tsx bench/x402.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x402Client } from '@x402/core/client';
import { toClientEvmSigner } from '@x402/evm';
import { BatchSettlementEvmScheme } from '@x402/evm/batch-settlement/client';
import { ExactEvmScheme } from '@x402/evm/exact/client';
import { wrapFetchWithPayment } from '@x402/fetch';
import { createPublicClient, http, keccak256, parseEventLogs, toHex, zeroAddress, type Hex, type PublicClient } from 'viem';
import { computeMarketAbi } from '../chain/abi/generated/computeMarket.js';
import { usdxAbi } from '../chain/abi/generated/usdx.js';
import { x402BatchSettlementAbi } from '../chain/abi/generated/x402BatchSettlement.js';
import { deployX402, x402BatchSettlementAddress as escrow } from '../chain/deploy/deployX402.js';
import { formatVoucherHeader } from '../chain/voucher/formatVoucherHeader.js';
import { maxCost } from '../chain/voucher/maxCost.js';
import { signVoucher } from '../chain/voucher/signVoucher.js';
import { createEchoBackend } from '../provider/backends/createEchoBackend.js';
import { startProvider } from '../provider/startProvider.js';
import { startMarket } from '../test/fixtures/startMarket.js';
import { writeResult, type BenchMetric } from './_lib/writeResult.js';

const terms = { priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n, defaultMaxTokens: 64n };
const body = JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'the quick brown fox jumps over the lazy dog' }], max_tokens: 16 });
const metrics: Record<string, BenchMetric> = {};
const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const gas = (name: string, value: bigint, note: string) => (metrics[name] = { value: Number(value), unit: 'gas', better: 'lower', note });

const m = await startMarket();
const dir = mkdtempSync(join(tmpdir(), 'y2c-bench-x402-'));
try {
  await deployX402({ publicClient: m.deployer as unknown as PublicClient, walletClient: m.deployer });
  const publicClient = createPublicClient({ chain: m.chain, transport: http(m.anvil.rpcUrl) });
  const receipt = async (hash: Promise<Hex>) => {
    const r = await publicClient.waitForTransactionReceipt({ hash: await hash });
    if (r.status !== 'success') throw new Error('reverted');
    return r;
  };
  const payer = m.payer;
  const receiver = m.provider;
  await receipt(payer.writeContract({ address: m.token, abi: usdxAbi, functionName: 'approve', args: [escrow, 2n ** 255n] }));
  await receipt(payer.writeContract({ address: m.token, abi: usdxAbi, functionName: 'approve', args: [m.market, 2n ** 255n] }));

  // ---------------------------------------------------------------- gas: x402 escrow
  const config = (i: number) => ({
    payer: payer.account.address,
    payerAuthorizer: m.signer.address,
    receiver: receiver.account.address,
    receiverAuthorizer: receiver.account.address,
    token: m.token,
    withdrawDelay: 86_400,
    salt: keccak256(toHex(`bench-${i}`)),
  });
  const domain = { name: 'x402 Batch Settlement', version: '1', chainId: m.chain.id, verifyingContract: escrow } as const;
  const deposits: bigint[] = [];
  for (let i = 0; i < 10; i++) {
    deposits.push((await receipt(payer.writeContract({ address: escrow, abi: x402BatchSettlementAbi, functionName: 'deposit', args: [config(i), 5_000_000n, zeroAddress, '0x'] }))).gasUsed);
  }
  gas('x402DepositPull', deposits[5]!, 'X402BatchSettlement.deposit(config, 5 USDx, collector 0) by the payer EOA, a new channel (approve not counted): what the agent would send through the guarded executor');
  const channelId = (i: number) => publicClient.readContract({ address: escrow, abi: x402BatchSettlementAbi, functionName: 'getChannelId', args: [config(i)] });
  const claims = async (total: bigint) =>
    Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const signature = await m.signer.signTypedData({
          domain,
          types: { Voucher: [{ name: 'channelId', type: 'bytes32' }, { name: 'maxClaimableAmount', type: 'uint128' }] },
          primaryType: 'Voucher',
          message: { channelId: await channelId(i), maxClaimableAmount: total },
        });
        return { voucher: { channel: config(i), maxClaimableAmount: total }, signature, totalClaimed: total };
      }),
    );
  const claimBatch = async (total: bigint) => {
    const batch = await claims(total);
    const entries = await Promise.all(batch.map(async (c, i) => ({ channelId: await channelId(i), maxClaimableAmount: total, totalClaimed: total })));
    const sig = await receiver.account.signTypedData!({
      domain,
      types: {
        ClaimBatch: [{ name: 'claims', type: 'ClaimEntry[]' }],
        ClaimEntry: [
          { name: 'channelId', type: 'bytes32' },
          { name: 'maxClaimableAmount', type: 'uint128' },
          { name: 'totalClaimed', type: 'uint128' },
        ],
      },
      primaryType: 'ClaimBatch',
      message: { claims: entries },
    });
    return (await receipt(m.deployer.writeContract({ address: escrow, abi: x402BatchSettlementAbi, functionName: 'claimWithSignature', args: [batch, sig] }))).gasUsed;
  };
  await claimBatch(100_000n); // first claim of each channel
  const claimed = await claimBatch(200_000n);
  gas('x402ClaimPerChannel', claimed / 10n, 'X402BatchSettlement.claimWithSignature over 10 channels (each claimed once before), one receiver-authorizer signature, ÷ 10; submitted by a third party');
  const settled = (await receipt(m.deployer.writeContract({ address: escrow, abi: x402BatchSettlementAbi, functionName: 'settle', args: [receiver.account.address, m.token] }))).gasUsed;
  gas('x402Settle', settled, 'X402BatchSettlement.settle(receiver, token): pays out everything claimed (any number of channels) in one transfer');

  // ---------------------------------------------------------------- gas: ComputeMarket, same conditions
  const opened: bigint[] = [];
  const ids: bigint[] = [];
  for (let i = 0; i < 10; i++) {
    const r = await receipt(payer.writeContract({ address: m.market, abi: computeMarketAbi, functionName: 'open', args: [receiver.account.address, m.signer.address, 5_000_000n] }));
    opened.push(r.gasUsed);
    const [event] = parseEventLogs({ abi: computeMarketAbi, eventName: 'ChannelOpened', logs: r.logs });
    ids.push(event!.args.channelId);
  }
  gas('marketOpen', opened[5]!, 'ComputeMarket.open(provider, signer, 5 USDx) by the payer EOA (approve not counted)');
  const redeemAll = async (authorized: bigint) => {
    const redemptions = await Promise.all(
      ids.map(async (id) => ({ channelId: id, amount: authorized, authorized, signature: (await signVoucher({ account: m.signer, chainId: m.chain.id, market: m.market, channelId: id, authorized })).signature })),
    );
    return (await receipt(receiver.writeContract({ address: m.market, abi: computeMarketAbi, functionName: 'redeemMany', args: [redemptions] }))).gasUsed;
  };
  await redeemAll(100_000n);
  gas('marketRedeemManyPerChannel', (await redeemAll(200_000n)) / 10n, 'ComputeMarket.redeemMany over 10 channels (each redeemed once before) in one transaction, ÷ 10: accounting and payout together');

  // ---------------------------------------------------------------- latency: x402 vs y2c voucher
  const node = await startProvider({
    client: m.provider,
    market: m.market,
    backend: createEchoBackend(),
    ...terms,
    databasePath: join(dir, 'provider.db'),
    settleIntervalMs: 3_600_000,
    x402: { token: m.token, tokenName: 'y2c Dollar', tokenVersion: '1', storageDir: join(dir, 'x402'), claimIntervalSecs: 3_600 },
  });
  try {
    const url = `${node.url}/chat/completions`;
    const n = 40;
    const bound = maxCost(JSON.parse(body) as { messages: unknown }, terms).cost;
    const openTx = await receipt(payer.writeContract({ address: m.market, abi: computeMarketAbi, functionName: 'open', args: [receiver.account.address, m.signer.address, 5_000_000n] }));
    const yid = parseEventLogs({ abi: computeMarketAbi, eventName: 'ChannelOpened', logs: openTx.logs })[0]!.args.channelId;
    let spent = 0n;
    const y2cMs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const voucher = formatVoucherHeader(await signVoucher({ account: m.signer, chainId: m.chain.id, market: m.market, channelId: yid, authorized: spent + bound }));
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-y2c-voucher': voucher }, body });
      if (r.status !== 200) throw new Error(`y2c ${r.status}`);
      spent = BigInt(r.headers.get('x-y2c-spent')!);
      await r.arrayBuffer();
      y2cMs.push(performance.now() - t);
    }
    const network = `eip155:${m.chain.id}` as const;
    const signer = toClientEvmSigner(payer.account as never, publicClient as never);
    const batchFetch = wrapFetchWithPayment(fetch, new x402Client().register(network, new BatchSettlementEvmScheme(signer)).setSpendControls({ allowedAssets: [{ network, asset: m.token }] }));
    const exactFetch = wrapFetchWithPayment(fetch, new x402Client().register(network, new ExactEvmScheme(signer)).setSpendControls({ allowedAssets: [{ network, asset: m.token }] }));
    const timed = async (paid: typeof fetch, count: number) => {
      const ms: number[] = [];
      for (let i = 0; i < count; i++) {
        const t = performance.now();
        const r = await paid(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        if (r.status !== 200) throw new Error(`x402 ${r.status}: ${await r.text()}`);
        await r.arrayBuffer();
        ms.push(performance.now() - t);
      }
      return ms;
    };
    const firstBatch = await timed(batchFetch, 1); // the deposit (402, sign, on-chain deposit by the facilitator)
    const batchMs = await timed(batchFetch, n);
    const exactMs = await timed(exactFetch, Math.min(n, 20));
    const y2c = median(y2cMs);
    metrics.y2cVoucherRequestP50Ms = { value: round(y2c), unit: 'ms', better: 'lower', note: `client-side time of one request paid with x-y2c-voucher (sign + POST + answer), echo backend, ${n} sequential requests` };
    metrics.x402BatchRequestP50Ms = { value: round(median(batchMs)), unit: 'ms', better: 'lower', note: `same with @x402/fetch batch-settlement after the deposit: 402 round trip, voucher, verify, serve, local settle (${n} requests)` };
    metrics.x402BatchOverheadP50Ms = { value: round(median(batchMs) - y2c), unit: 'ms', better: 'lower', note: 'x402 batch-settlement P50 minus y2c voucher P50 (the extra 402 round trip the official client makes per request, and the x402 server)' };
    metrics.x402BatchFirstRequestMs = { value: round(firstBatch[0]!), unit: 'ms', better: 'lower', note: 'the first batch-settlement request: 402, ERC-3009 deposit signed and submitted on chain by the in-process facilitator, then served' };
    metrics.x402ExactRequestP50Ms = { value: round(median(exactMs)), unit: 'ms', better: 'lower', note: 'one request paid with @x402/fetch exact: 402 round trip, EIP-3009 signature, an on-chain transferWithAuthorization by the facilitator before the answer' };
  } finally {
    await node.stop({ settle: false });
  }
  writeResult({ name: 'x402', metrics });
  for (const [name, metric] of Object.entries(metrics)) console.log(`${name.padEnd(30)} ${metric.value} ${metric.unit}`);
} finally {
  await m.stop();
  rmSync(dir, { recursive: true, force: true });
}
