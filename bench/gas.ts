/**
 * Receipt gas of every on-chain step of y2c on the devnet (real anvil, real contracts, the real agent
 * wallet for session-key calls, the real alto bundler for user operations), next to the anchors
 * people would use instead. The SimpleAccount v0.7 anchor is measured here side by side: the
 * reference SimpleAccount and SimpleAccountFactory from @account-abstraction/contracts 0.7.0 are
 * deployed on the same devnet and send the same USDx transfer through the same bundler.
 *
 * Every figure is a transaction receipt's gasUsed (the bundle transaction's for user operations),
 * measured after a warm-up so that storage slots go non-zero → non-zero, median of `rounds`.
 * Deterministic: every block is mined exactly one second after the previous one
 * (`anvil_setBlockTimestampInterval`), so each vault step pays the same sUSDx drip whatever the wall
 * clock does, and the vault steps go through `chain/vault/stake` and `unstake` (estimate + headroom):
 * a bare estimate made at one timestamp fell ~18k gas short when the block landed a second later (the
 * drip mints only when a second has passed), which is how `unstake` once reverted out of gas here.
 * Writes bench/results/gas.json. Run: `npx tsx bench/gas.ts`.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWalletClient, encodeFunctionData, http, keccak256, toHex, parseEther, parseUnits, toFunctionSelector, zeroHash, type Address, type Hex, type TransactionReceipt } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createBundlerClient } from 'viem/account-abstraction';
import { foundry } from 'viem/chains';
import { toSimpleSmartAccount } from 'permissionless/accounts';
import { agentAccountAbi } from '../chain/abi/generated/agentAccount.js';
import { agentNftAbi } from '../chain/abi/generated/agentNft.js';
import { computeMarketAbi } from '../chain/abi/generated/computeMarket.js';
import { erc6551RegistryAbi } from '../chain/abi/generated/erc6551Registry.js';
import { usdxAbi } from '../chain/abi/generated/usdx.js';
import { yieldVaultAbi } from '../chain/abi/generated/yieldVault.js';
import { devAccount, devRoles } from '../devnet/devAccounts.js';
import { startDevnet } from '../devnet/startDevnet.js';
import { stake } from '../chain/vault/stake.js';
import { unstake } from '../chain/vault/unstake.js';
import { signVoucher } from '../chain/voucher/signVoucher.js';
import { createAgentWallet, type AgentCall } from '../chain/wallet/createAgentWallet.js';
import { loadSessionKey } from '../chain/wallet/loadSessionKey.js';
import { sessionValidAfter } from '../chain/wallet/sessionValidAfter.js';
import { registerProvider } from '../provider/register/registerProvider.js';
import { writeResult, type BenchMetric } from './_lib/writeResult.js';

const rounds = 3;
/** Fixed keys, so addresses and signatures (and the calldata gas of their zero bytes) are the same on every run. */
const fixedKey = (label: string) => privateKeyToAccount(keccak256(toHex(`y2c bench gas: ${label}`)));
const median = (xs: readonly bigint[]) => Number([...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[Math.floor(xs.length / 2)] ?? 0n);
const samples = (xs: readonly bigint[]) => `median of ${xs.length} (${xs.join(', ')})`;

/** Anchors: what people would use instead. */
const anchors = {
  plainTransfer: 'anchor: a plain smart account (no session key) sending an ERC-20 transfer directly ≈ 63,500 gas (commonly cited figure, not re-measured here)',
  simpleAccount: 'anchor: SimpleAccount v0.7 user operation, bundle of one ≈ 175,300 gas (published figure; measured side by side here as simpleAccountUserOpErc20Transfer)',
  modular: 'anchor: Alchemy Modular Account v2 with a session key, user operation ≈ 197,300 gas (published by Alchemy, not re-measured here)',
} as const;

const dir = mkdtempSync(join(tmpdir(), 'y2c-bench-gas-'));
const devnet = await startDevnet({ dataDir: dir, persist: false, bundler: true, dailyTokenBudget: '1000', owner: 'eoa', ethVault: false });
try {
  const { publicClient, deployment, anvil } = devnet;
  const bundlerUrl = devnet.bundler?.bundlerUrl;
  if (!bundlerUrl) throw new Error('the devnet started without its bundler');
  const { usdx, computeMarket: market, entryPoint } = deployment;
  const { tba, vault } = deployment.agent;
  const clientOf = (index: number) => createWalletClient({ chain: foundry, transport: http(anvil.rpcUrl), account: devAccount(index).account, pollingInterval: 100 });
  const owner = clientOf(devRoles.owner);
  const provider = clientOf(devRoles.provider);
  const receiptOf = async (hash: Hex): Promise<TransactionReceipt> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`);
    return receipt;
  };
  // One second per block, whatever the wall clock says; `warp` pins the next block's timestamp
  // (anvil ignores evm_increaseTime once an interval is set).
  await publicClient.request({ method: 'anvil_setBlockTimestampInterval' as never, params: [1] as never });
  const warp = async (seconds: number) => {
    const { timestamp } = await publicClient.getBlock();
    await publicClient.request({ method: 'evm_setNextBlockTimestamp' as never, params: [Number(timestamp) + seconds] as never });
    await publicClient.request({ method: 'evm_mine' as never, params: [] as never });
  };
  const metrics: Record<string, BenchMetric> = {};
  const gas = (id: string, values: readonly bigint[], note: string) => {
    metrics[id] = { value: median(values), unit: 'gas', better: 'lower', note: `${note}; ${samples(values)}` };
  };

  // ------------------------------------------------------------------ createAccount (ERC-6551)
  const created: bigint[] = [];
  const minted: bigint[] = [];
  for (let i = 0; i < rounds; i++) {
    const { result: tokenId, request } = await publicClient.simulateContract({ account: owner.account, address: deployment.agentNft, abi: agentNftAbi, functionName: 'mint', args: [owner.account.address] });
    minted.push((await receiptOf(await owner.writeContract(request))).gasUsed);
    const args = [deployment.accountImplementation, zeroHash, BigInt(deployment.chainId), deployment.agentNft, tokenId] as const;
    created.push((await receiptOf(await owner.writeContract({ address: deployment.erc6551Registry, abi: erc6551RegistryAbi, functionName: 'createAccount', args }))).gasUsed);
  }
  gas('createAccount', created, `ERC6551Registry.createAccount for a freshly minted agent NFT (an ERC-1167 proxy of AgentAccount at the canonical registry); the NFT mint before it costs ${samples(minted)}`);

  // ------------------------------------------------------------------ session-key ERC-20 transfer
  // The agent's own policy allows approve to the market, never transfer; the owner grants a separate
  // test session that may transfer USDx to one counterparty, as a payer paying per request would.
  const counterparty = fixedKey('counterparty').address;
  const testKey = fixedKey('test session key');
  const { validAfter, chainNow } = await sessionValidAfter(publicClient);
  await receiptOf(
    await owner.writeContract({
      address: tba,
      abi: agentAccountAbi,
      functionName: 'grantSession',
      args: [
        testKey.address,
        {
          validAfter,
          validUntil: chainNow + 30 * 86_400,
          period: 86_400,
          maxCallsPerPeriod: 1_000,
          nativeBudgetPerPeriod: 0n,
          gasAllowance: parseEther('1'),
          maxFeePerGas: 100_000_000_000n,
          calls: [{ target: usdx, selector: toFunctionSelector('function transfer(address,uint256)') }],
          tokenBudgets: [{ token: usdx, amountPerPeriod: parseUnits('1000', 6) }],
          counterparties: [counterparty],
          argumentRules: [],
        },
      ],
    }),
  );
  await receiptOf(await owner.sendTransaction({ to: testKey.address, value: parseEther('1') }));
  await receiptOf(await owner.writeContract({ address: usdx, abi: usdxAbi, functionName: 'faucet', args: [tba, parseUnits('10000', 6)] }));
  const common = { publicClient, chain: foundry, rpcUrl: anvil.rpcUrl, address: tba } as const;
  const transferTo = (to: Address): AgentCall[] => [{ to: usdx, data: encodeFunctionData({ abi: usdxAbi, functionName: 'transfer', args: [to, 1_000n] }) }];
  const testDirect = createAgentWallet({ ...common, sessionKey: testKey, transport: { kind: 'direct' } });
  const testUserOp = createAgentWallet({ ...common, sessionKey: testKey, transport: { kind: 'userop', bundlerUrl, entryPoint } });
  const bundleGas = async (hash: Hex) => (await receiptOf(hash)).gasUsed;
  // Warm-up: the counterparty's balance, the session's budget and call-count slots, the EntryPoint deposit.
  await testDirect.sendCalls(transferTo(counterparty));
  await testUserOp.sendCalls(transferTo(counterparty));
  const direct: bigint[] = [];
  const userOp: bigint[] = [];
  const userOpActual: bigint[] = [];
  for (let i = 0; i < rounds; i++) {
    direct.push((await testDirect.sendCalls(transferTo(counterparty))).gasUsed);
    const sent = await testUserOp.sendCalls(transferTo(counterparty));
    userOp.push(await bundleGas(sent.transactionHash));
    userOpActual.push(sent.gasUsed);
  }
  gas('sessionDirectErc20Transfer', direct, `USDx.transfer(counterparty) by a session key through the TBA's execute, a plain transaction from the key (policy: selector allowlist, per-period token budget decoded from the calldata, counterparty allowlist, call cap, owner binding); ${anchors.plainTransfer}`);
  gas('sessionUserOpErc20Transfer', userOp, `the same transfer as an ERC-4337 v0.7 user operation through alto: receipt gasUsed of the bundle transaction, bundle of one (the user operation's actualGasUsed: ${samples(userOpActual)}); ${anchors.simpleAccount}; ${anchors.modular}`);

  // ------------------------------------------------------------------ SimpleAccount v0.7, side by side
  const require = createRequire(import.meta.url);
  const factoryArtifact = require('@account-abstraction/contracts/artifacts/SimpleAccountFactory.json') as { abi: readonly unknown[]; bytecode: Hex };
  const factoryAbi = [
    { type: 'function', name: 'createAccount', stateMutability: 'nonpayable', inputs: [{ name: 'owner', type: 'address' }, { name: 'salt', type: 'uint256' }], outputs: [{ name: 'ret', type: 'address' }] },
  ] as const;
  const deployHash = await owner.deployContract({ abi: factoryArtifact.abi, bytecode: factoryArtifact.bytecode, args: [entryPoint] });
  const factory = (await receiptOf(deployHash)).contractAddress;
  if (!factory) throw new Error('SimpleAccountFactory did not deploy');
  const simpleOwner = fixedKey('SimpleAccount owner');
  const simple = await toSimpleSmartAccount({ client: publicClient, owner: simpleOwner, factoryAddress: factory, entryPoint: { address: entryPoint, version: '0.7' } });
  await receiptOf(await owner.writeContract({ address: factory, abi: factoryAbi, functionName: 'createAccount', args: [simpleOwner.address, 0n] }));
  if ((await publicClient.getCode({ address: simple.address })) === undefined) throw new Error('SimpleAccount was not created');
  await receiptOf(await owner.sendTransaction({ to: simple.address, value: parseEther('1') }));
  await receiptOf(await owner.writeContract({ address: usdx, abi: usdxAbi, functionName: 'faucet', args: [simple.address, parseUnits('10000', 6)] }));
  const bundler = createBundlerClient({ client: publicClient, transport: http(bundlerUrl), pollingInterval: 100 });
  const simpleTransfer = async () => {
    const hash = await bundler.sendUserOperation({ account: simple, calls: [{ to: usdx, value: 0n, data: transferTo(counterparty)[0]!.data ?? '0x' }] });
    const result = await bundler.waitForUserOperationReceipt({ hash, timeout: 60_000 });
    if (!result.success) throw new Error(`SimpleAccount user operation ${hash} reverted`);
    return { bundle: await bundleGas(result.receipt.transactionHash), actual: result.actualGasUsed };
  };
  await simpleTransfer();
  const simpleBundle: bigint[] = [];
  const simpleActual: bigint[] = [];
  for (let i = 0; i < rounds; i++) {
    const { bundle, actual } = await simpleTransfer();
    simpleBundle.push(bundle);
    simpleActual.push(actual);
  }
  gas('simpleAccountUserOpErc20Transfer', simpleBundle, `MEASURED anchor: the reference SimpleAccount v0.7 (@account-abstraction/contracts 0.7.0 artifacts, ECDSA owner, no session policy) sending the same USDx transfer through the same alto bundler: bundle transaction receipt gasUsed, bundle of one (actualGasUsed: ${samples(simpleActual)}); the published figure is ≈ 175,300`);
  // What the session policy costs per user operation over no policy at all, both measured in this run.
  const overhead = median(userOp) - median(simpleBundle);
  metrics.sessionUserOpOverhead = {
    value: overhead,
    unit: 'gas',
    better: 'lower',
    note: `sessionUserOpErc20Transfer − simpleAccountUserOpErc20Transfer, same transfer, same alto, same run (${median(userOp)} − ${median(simpleBundle)}): the session policy's checks and charges (window, owner binding, scope, fee cap, gas allowance, call count, token budget, counterparty) plus the ERC-6551 state bump and the 20-byte key in the signature; anchor: the best published session-key account ≈ 5,000 over a minimal account (issue 17's figure, not re-measured here)`,
  };
  // A plain EOA transfer: the floor under any account.
  const eoa: bigint[] = [];
  await receiptOf(await owner.writeContract({ address: usdx, abi: usdxAbi, functionName: 'faucet', args: [owner.account.address, parseUnits('10000', 6)] }));
  for (let i = 0; i < rounds; i++) eoa.push((await receiptOf(await owner.writeContract({ address: usdx, abi: usdxAbi, functionName: 'transfer', args: [counterparty, 1_000n] }))).gasUsed);
  gas('eoaErc20Transfer', eoa, 'MEASURED floor: the same USDx transfer from a plain EOA (no account at all; what an x402-style payment per request costs at least)');

  // ------------------------------------------------------------------ stake, unstake, harvest
  const stakers = [10, 11, 12].map(clientOf);
  const amount = parseUnits('300', 6);
  const staked: bigint[] = [];
  for (const staker of stakers) {
    await publicClient.request({ method: 'anvil_setBalance' as never, params: [staker.account.address, '0xde0b6b3a7640000'] as never });
    const { hash } = await stake({ publicClient, walletClient: staker }, { vault, asset: usdx, amount, useFaucet: true });
    staked.push((await receiptOf(hash)).gasUsed);
  }
  gas('stake', staked, "YieldVault.stake(300 USDx) by a new staker (the approve before it not counted): checkpoint of the yield accumulator, deposit into the ERC-4626 source (sUSDx), principal and lock recorded");
  await warp(7 * 86_400 + 1);
  const agent = createAgentWallet({ ...common, sessionKey: loadSessionKey({ path: devnet.sessionKeyPath }), transport: { kind: 'direct' } });
  const harvestCall: AgentCall[] = [{ to: vault, data: encodeFunctionData({ abi: yieldVaultAbi, functionName: 'harvest' }) }];
  await agent.sendCalls(harvestCall);
  const harvested: bigint[] = [];
  for (let i = 0; i < rounds; i++) {
    await warp(86_400);
    harvested.push((await agent.sendCalls(harvestCall)).gasUsed);
  }
  gas('harvest', harvested, "YieldVault.harvest() by the agent's session key through the TBA (direct transaction), a day of yield each: realizes the yield from sUSDx, updates the per-principal accumulator, sends it to the TBA");
  const unstaked: bigint[] = [];
  for (const staker of stakers) {
    const { hash } = await unstake({ publicClient, walletClient: staker }, { vault, amount });
    unstaked.push((await receiptOf(hash)).gasUsed);
  }
  gas('unstake', unstaked, 'YieldVault.unstake(all 300 USDx) after the lock: settles the staker\'s compute balance, withdraws exactly the principal from sUSDx to the staker');

  // ------------------------------------------------------------------ channels: open, redeem, redeemMany
  await registerProvider(provider, { market, endpoint: 'http://127.0.0.1:1/v1', priceInPerMTok: 100_000n, priceOutPerMTok: 200_000n, models: ['scripted'] });
  const sessionKey = loadSessionKey({ path: devnet.sessionKeyPath });
  const deposit = parseUnits('5', 6);
  const openCall: AgentCall[] = [{ to: market, data: encodeFunctionData({ abi: computeMarketAbi, functionName: 'open', args: [provider.account.address, sessionKey.address, deposit] }) }];
  const approve = (value: bigint): AgentCall[] => [{ to: usdx, data: encodeFunctionData({ abi: usdxAbi, functionName: 'approve', args: [market, value] }) }];
  const channelIds: bigint[] = [];
  const opened: bigint[] = [];
  const openOne = async () => {
    await agent.sendCalls(approve(deposit));
    const receipt = await publicClient.getTransactionReceipt({ hash: (await agent.sendCalls(openCall)).transactionHash });
    channelIds.push((await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'channelCount' })));
    return receipt.gasUsed;
  };
  await openOne();
  for (let i = 0; i < rounds; i++) opened.push(await openOne());
  gas('openChannel', opened, "ComputeMarket.open(provider, signer, 5 USDx) by the session key through the TBA, direct (the approve the TBA sends before it, as its own transaction, is not counted): escrows the deposit, records the channel");
  const voucher = (channelId: bigint, authorized: bigint) => signVoucher({ account: sessionKey, chainId: deployment.chainId, market, channelId, authorized });
  const redeemed: bigint[] = [];
  const firstRedeem: bigint[] = [];
  const id = channelIds[0]!;
  for (let i = 1; i <= rounds + 1; i++) {
    const authorized = BigInt(i) * 10_000n;
    const signed = await voucher(id, authorized);
    const g = (await receiptOf(await provider.writeContract({ address: market, abi: computeMarketAbi, functionName: 'redeem', args: [id, authorized, authorized, signed.signature] }))).gasUsed;
    (i === 1 ? firstRedeem : redeemed).push(g);
  }
  gas('redeem', redeemed, `ComputeMarket.redeem(channel, amount, authorized, EIP-712 voucher) by the provider, a channel already redeemed once (its first redeem: ${samples(firstRedeem)}); one redeem settles every request served since the last one`);
  // Ten channels, each redeemed once already, then redeemMany over all ten.
  while (channelIds.length < 10) await openOne();
  const many: bigint[] = [];
  for (let r = 1; r <= rounds + 1; r++) {
    const redemptions = await Promise.all(
      channelIds.map(async (channelId) => {
        const authorized = 100_000n * BigInt(r + 10);
        return { channelId, amount: authorized, authorized, signature: (await voucher(channelId, authorized)).signature };
      }),
    );
    const g = (await receiptOf(await provider.writeContract({ address: market, abi: computeMarketAbi, functionName: 'redeemMany', args: [redemptions] }))).gasUsed;
    if (r > 1) many.push(g / 10n);
  }
  gas('redeemManyPerChannel', many, 'ComputeMarket.redeemMany over 10 channels (each already redeemed before) in one transaction, ÷ 10');

  writeResult({ name: 'gas', metrics });
} finally {
  await devnet.stop();
  rmSync(dir, { recursive: true, force: true });
}
