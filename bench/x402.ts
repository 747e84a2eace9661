/**
 * x402 benchmark (issue 14): gas of the x402 batch-settlement escrow (deposit, claim per channel in a
 * batch of ten, settle) against the ComputeMarket (open, redeemMany per channel), all sent directly by
 * EOAs on the same anvil. The request overhead of an x402-paid request against a y2c-voucher one is in
 * bench/provider.ts (`x402Overhead`). Writes bench/results/x402.json. Run: `npx tsx bench/x402.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, keccak256, parseEventLogs, toHex, zeroAddress, type Hex, type PublicClient } from 'viem';
import { computeMarketAbi } from '../chain/abi/generated/computeMarket.js';
import { usdxAbi } from '../chain/abi/generated/usdx.js';
import { x402BatchSettlementAbi } from '../chain/abi/generated/x402BatchSettlement.js';
import { deployX402, x402BatchSettlementAddress as escrow } from '../chain/deploy/deployX402.js';
import { signVoucher } from '../chain/voucher/signVoucher.js';
import { startMarket } from '../test/fixtures/startMarket.js';
import { writeResult, type BenchMetric } from './_lib/writeResult.js';

const metrics: Record<string, BenchMetric> = {};
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

  writeResult({ name: 'x402', metrics });
  for (const [name, metric] of Object.entries(metrics)) console.log(`${name.padEnd(30)} ${metric.value} ${metric.unit}`);
} finally {
  await m.stop();
  rmSync(dir, { recursive: true, force: true });
}
