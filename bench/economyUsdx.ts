/**
 * The economy in USDx (the second run; the seed's ETH community is bench/economy.ts), compressed with warp: does yield really buy compute?
 *
 * 2,000 members each stake 0.1 ETH-worth (300 USDx at the config's ethPriceInToken 3000, so
 * 600,000 USDx = 200 ETH-worth in all) into the agent's vault, whose source (sUSDx) earns 5% a year
 * (aprBps 500): about 30,000 USDx = 10 ETH-worth of yield a year. Over one simulated year (chain time
 * moved with evm_increaseTime in 12-hour steps) the real treasury job (runTreasury → decideTreasury →
 * the guarded executor → the agent wallet, direct transport) harvests on its own schedule and keeps
 * a payment channel funded; simulated members send chat completions to the real provider node
 * (provider/startProvider.ts, upstream: the scripted model through createOpenAiBackend) through the
 * real paying fetch, billed by real token counts; the provider redeems what was served with
 * redeemMany every simulated week. Members join and leave throughout (leavers unstake after their
 * lock); at the end everyone still staked leaves too, and every unit of principal must come back.
 *
 * Everything runs on 127.0.0.1 with bounded loops; the clock of the agent's memory, its guard and
 * its paying client is the chain's (the simulation's), not the wall's. Writes
 * bench/results/economy-usdx.json. Run: `npx tsx bench/economyUsdx.ts` (the second run of the economy: the ETH community is bench/economy.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createWalletClient,
  encodeFunctionData,
  formatUnits,
  http,
  keccak256,
  parseEther,
  parseUnits,
  stringToHex,
  toFunctionSelector,
  type Address,
  type Hex,
  type LocalAccount,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { treasuryParamsFromConfig } from '../agent/policy/treasuryParamsFromConfig.js';
import { runTreasury } from '../agent/treasury/runTreasury.js';
import type { TreasuryContext } from '../agent/treasury/TreasuryContext.js';
import { createChannelPicker } from '../agent/brain/createChannelPicker.js';
import { agentAccountAbi } from '../chain/abi/generated/agentAccount.js';
import { usdxAbi } from '../chain/abi/generated/usdx.js';
import { yieldVaultAbi } from '../chain/abi/generated/yieldVault.js';
import { devAccount, devRoles } from '../devnet/devAccounts.js';
import { startDevnet } from '../devnet/startDevnet.js';
import { createAgentWallet } from '../chain/wallet/createAgentWallet.js';
import { loadSessionKey } from '../chain/wallet/loadSessionKey.js';
import { sessionValidAfter } from '../chain/wallet/sessionValidAfter.js';
import { loadConfig } from '../config/loadConfig.js';
import { openAgentMemory } from '../memory/openAgentMemory.js';
import { createOpenAiBackend } from '../provider/backends/createOpenAiBackend.js';
import { registerProvider } from '../provider/register/registerProvider.js';
import { startProvider } from '../provider/startProvider.js';
import { startScriptedModel } from '../test/fixtures/scriptedModel.js';
import { createPayingFetch } from '../tools/compute/createPayingFetch.js';
import { createSqlitePayingStore } from '../tools/compute/createSqlitePayingStore.js';
import { createGuardedExecutor } from '../guard/createGuardedExecutor.js';
import { guardPolicyFromConfig } from '../guard/guardPolicyFromConfig.js';
import type { AgentDeployment } from '../guard/AgentDeployment.js';
import { writeResult } from './_lib/writeResult.js';

// ------------------------------------------------------------------ the scenario
const members = 2_000;
const ethPriceInToken = 3_000;
const stakeEth = 0.1;
const stakeAmount = parseUnits(String(stakeEth * ethPriceInToken), 6); // 300 USDx
const aprBps = 500;
/** Simulated days; `npx tsx bench/economyUsdx.ts --days 30` for a quick look (the results file then says so). */
const daysFlag = process.argv.indexOf('--days');
const days = daysFlag > 0 ? Number(process.argv[daysFlag + 1]) : 365;
if (!Number.isInteger(days) || days < 2) throw new Error('--days must be an integer ≥ 2');
const stepHours = 24;
const requestsPerStep = 8; // 2,920 over the year
const settleEveryDays = 7;
const joinOrLeavePerDayMax = 2; // each day 0..2 members leave (after their lock) and 0..2 join
const x402Sample = 40;
/** Gas price used to value gas (a Base-like L2's execution gas; L1 data fees not included). */
const gasPriceGwei = 0.01;
/**
 * Provider prices, scaled: a few thousand requests stand for a year of a community's demand, so one
 * request carries ≈ 10.8 USDx of tokens (200 completion + ≈ 28 prompt tokens). Gas does not depend
 * on the price; the per-1000-requests figures would only get better for y2c with more, cheaper requests.
 */
const priceInPerMTok = parseUnits('15000', 6);
const priceOutPerMTok = parseUnits('52000', 6);
const replyWords = 200;

const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'y2c-bench-economy-'));
const devnet = await startDevnet({ dataDir: dir, persist: false, bundler: false, aprBps, dailyTokenBudget: '1000', demoStakes: [], owner: 'eoa' });
const model = await startScriptedModel({ replies: () => ({ content: Array.from({ length: replyWords }, (_, i) => `w${i % 50}`).join(' ') }) });
let stopProvider: () => Promise<void> = async () => {};
try {
  const { publicClient, anvil } = devnet;
  const deployment = devnet.deployment as AgentDeployment;
  const { usdx, computeMarket: market } = deployment;
  const { tba, vault } = deployment.agent;
  const rpc = <T>(method: string, params: unknown[]) => publicClient.request({ method: method as never, params: params as never }) as Promise<T>;
  const clientOf = (account: LocalAccount) => createWalletClient({ chain: foundry, transport: http(anvil.rpcUrl), account, pollingInterval: 50 });
  const owner = clientOf(devAccount(devRoles.owner).account);
  const providerClient = clientOf(devAccount(devRoles.provider).account);
  // Automine mines one block per arriving transaction, holding as many pending ones as fit its gas
  // limit, and once in a while leaves one in the pool after a burst: nudge it with evm_mine.
  const confirm = async (hash: Hex) => {
    for (let attempt = 0; attempt < 500; attempt++) {
      const receipt = await publicClient.getTransactionReceipt({ hash }).catch(() => undefined);
      if (receipt) {
        if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`);
        return receipt;
      }
      if (attempt >= 5) await rpc('evm_mine', []);
      else await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const block = await publicClient.getBlock();
    throw new Error(`transaction ${hash} not mined (pool ${JSON.stringify(await rpc('txpool_status', []))}, base fee ${block.baseFeePerGas})`);
  };
  // The simulation's clock is the chain's.
  let simNow = Number((await publicClient.getBlock()).timestamp);
  const warp = async (seconds: number) => {
    await rpc('evm_increaseTime', [seconds]);
    await rpc('evm_mine', []);
    simNow = Number((await publicClient.getBlock()).timestamp);
  };

  // Deterministic randomness (mulberry32), so two runs do the same thing.
  let seed = 0x2c2c2c2c;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };

  // Raw signed transactions with explicit nonces: thousands of member transactions without a
  // round trip each for fees, nonce and chain id.
  const nonces = new Map<Address, number>();
  const sendRaw = async (account: LocalAccount, to: Address, data: Hex, gas: bigint): Promise<Hex> => {
    const nonce = nonces.get(account.address) ?? (await publicClient.getTransactionCount({ address: account.address, blockTag: 'pending' }));
    nonces.set(account.address, nonce + 1);
    const serializedTransaction = await account.signTransaction({ chainId: foundry.id, type: 'eip1559', to, data, gas, nonce, maxFeePerGas: parseUnits('50', 9), maxPriorityFeePerGas: 0n });
    return publicClient.sendRawTransaction({ serializedTransaction });
  };
  // One after another: a burst of thousands of raw transactions leaves anvil's automine stuck.
  const confirmAll = async (hashes: readonly Hex[]) => {
    for (const hash of hashes) await confirm(hash);
  };

  // ------------------------------------------------------------------ members stake
  const memberKey = (i: number) => privateKeyToAccount(keccak256(stringToHex(`y2c-bench-member-${i}`)));
  const funder = devAccount(devRoles.firstStaker).account;
  const stakedBy = new Map<number, bigint>(); // member index → USDx staked
  const active = new Set<number>();
  let nextMember = 0;
  const addresses = new Map<number, Address>();
  const addressOf = (i: number) => {
    let address = addresses.get(i);
    if (!address) addresses.set(i, (address = memberKey(i).address));
    return address;
  };
  await confirm(await sendRaw(funder, usdx, encodeFunctionData({ abi: usdxAbi, functionName: 'faucet', args: [funder.address, 1_000_000n * 10n ** 6n] }), 200_000n));
  await confirm(await sendRaw(funder, usdx, encodeFunctionData({ abi: usdxAbi, functionName: 'approve', args: [vault, 2n ** 255n] }), 100_000n));
  const joinMembers = async (count: number): Promise<Hex[]> => {
    const hashes: Hex[] = [];
    for (let k = 0; k < count; k++) {
      const i = nextMember++;
      const hash = await sendRaw(funder, vault, encodeFunctionData({ abi: yieldVaultAbi, functionName: 'stakeFor', args: [addressOf(i), stakeAmount] }), 400_000n);
      await confirm(hash);
      hashes.push(hash);
      stakedBy.set(i, stakeAmount);
      active.add(i);
    }
    return hashes;
  };
  const topUpFunder = async () => {
    // The faucet caps one draw at 1,000,000 USDx; draw again before the funder runs dry.
    const balance = await publicClient.readContract({ address: usdx, abi: usdxAbi, functionName: 'balanceOf', args: [funder.address] });
    if (balance < 10_000n * 10n ** 6n) await confirm(await sendRaw(funder, usdx, encodeFunctionData({ abi: usdxAbi, functionName: 'faucet', args: [funder.address, 1_000_000n * 10n ** 6n] }), 200_000n));
  };
  await confirmAll(await joinMembers(members));
  const stakingSeconds = (performance.now() - started) / 1000;
  const initialPrincipal = await publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'totalPrincipal' });
  if (initialPrincipal !== stakeAmount * BigInt(members)) throw new Error(`vault principal ${initialPrincipal} ≠ ${members} × ${stakeAmount}`);
  console.log(`economy: ${members} members staked ${formatUnits(initialPrincipal, 6)} USDx in ${stakingSeconds.toFixed(1)} s`);

  // Leaving: the member's own key unstakes all of its principal; what comes back is measured.
  let principalReturned = 0n;
  let principalOfLeavers = 0n;
  let left = 0;
  const leave = async (indices: readonly number[]) => {
    const pending: { i: number; before: bigint; principal: bigint; hash: Hex }[] = [];
    // Reads and funding fifty members at a time; the transactions themselves go one after another.
    const prepared: { i: number; account: LocalAccount; before: bigint; principal: bigint }[] = [];
    const prepare = async (i: number) => {
      const account = memberKey(i);
      const [, before, principal] = await Promise.all([
        rpc('anvil_setBalance', [account.address, '0x16345785d8a0000']), // 0.1 ETH for its gas
        publicClient.readContract({ address: usdx, abi: usdxAbi, functionName: 'balanceOf', args: [account.address] }),
        publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [account.address] }),
      ]);
      if (principal !== stakedBy.get(i)) throw new Error(`member ${i}: principal ${principal} ≠ staked ${stakedBy.get(i)}`);
      prepared.push({ i, account, before, principal });
    };
    for (let k = 0; k < indices.length; k += 50) await Promise.all(indices.slice(k, k + 50).map(prepare));
    for (const { i, account, before, principal } of prepared) {
      const hash = await sendRaw(account, vault, encodeFunctionData({ abi: yieldVaultAbi, functionName: 'unstake', args: [principal] }), 400_000n);
      await confirm(hash);
      pending.push({ i, before, principal, hash });
    }
    await confirmAll(pending.map((p) => p.hash));
    const afters = await Promise.all(pending.map(({ i }) => publicClient.readContract({ address: usdx, abi: usdxAbi, functionName: 'balanceOf', args: [addressOf(i)] })));
    for (const [k, { i, before, principal }] of pending.entries()) {
      const after = afters[k] ?? 0n;
      if (after - before !== principal) throw new Error(`member ${i} got ${after - before} back for a principal of ${principal}`);
      principalReturned += after - before;
      principalOfLeavers += stakedBy.get(i) ?? 0n;
      active.delete(i);
      left++;
    }
  };

  // ------------------------------------------------------------------ the provider
  const node = await startProvider({
    client: providerClient,
    market,
    backend: createOpenAiBackend({ baseUrl: model.url, models: { scripted: 'scripted' } }),
    priceInPerMTok,
    priceOutPerMTok,
    defaultMaxTokens: 256n,
    databasePath: join(dir, 'provider.db'),
    settleIntervalMs: 2_000_000_000, // ≈ 23 days of wall time: settled by hand every simulated week instead
    channelTtlMs: 0,
  });
  stopProvider = () => node.stop({ settle: false });
  await registerProvider(providerClient, { market, endpoint: node.url, priceInPerMTok, priceOutPerMTok, models: ['scripted'] });

  // ------------------------------------------------------------------ the agent, as startAgent wires it
  const config = loadConfig({
    cwd: dir,
    env: {},
    overrides: {
      dataDir: dir,
      chain: { transport: 'direct' },
      agent: {
        trustedProviders: [node.address],
        runwayTargetHours: 2 * stepHours,
        caps: { perRequestCap: '25', dailyCap: '300', dailyComputeBudget: '300' },
        treasury: { minDeposit: '20', reserve: '1' },
      },
    },
  });
  const sessionKey = loadSessionKey({ path: devnet.sessionKeyPath });
  const wallet = createAgentWallet({ publicClient, chain: foundry, rpcUrl: anvil.rpcUrl, address: tba, sessionKey, transport: { kind: 'direct' } });
  const clock = { now: () => simNow };
  const memory = openAgentMemory(join(dir, 'agent.db'), clock);
  const store = createSqlitePayingStore({ path: join(dir, 'compute.db') });
  const guard = createGuardedExecutor({ wallet, publicClient, deployment, memory, policy: guardPolicyFromConfig({ config, extraTrustedProviders: [node.address] }), ...clock });
  const treasury: TreasuryContext = {
    wallet,
    publicClient,
    deployment,
    memory,
    guard,
    payingStore: store,
    // Memory and the paying store stamp with chain time here, so the snapshot reads them by it.
    now: () => simNow * 1000,
    params: treasuryParamsFromConfig({ config }),
    runwayTargetHours: config.agent.runwayTargetHours,
    minHarvest: config.agent.treasury.minHarvest,
    ethPriceInToken: config.chain.ethPriceInToken,
  };
  const payingFetch = createPayingFetch({
    account: sessionKey,
    channel: createChannelPicker({ memory, store }),
    caps: { perRequest: config.agent.caps.perRequestCap, daily: config.agent.caps.dailyComputeBudget },
    store,
    market,
    chainId: foundry.id,
    now: () => simNow * 1000,
  });

  // ------------------------------------------------------------------ the year
  const agentGas = new Map<string, bigint>();
  const agentTxs = new Map<string, number>();
  let redeemGas = 0n;
  let redeemTxs = 0;
  let served = 0;
  const refused = new Map<string, number>();
  let tokensIn = 0;
  let tokensOut = 0;
  let servedCost = 0n;
  const settle = async () => {
    const result = await node.settler.settle();
    if (result.txHash) {
      redeemGas += (await confirm(result.txHash)).gasUsed;
      redeemTxs++;
    }
  };
  const ask = async (member: number) => {
    const response = await payingFetch(`${node.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'scripted',
        max_tokens: 256,
        messages: [
          { role: 'system', content: 'You are the community agent of y2c.' },
          { role: 'user', content: `Member ${member} asks: what did the treasury do today, how much compute is left, and what should we build next?` },
        ],
      }),
    });
    const body = (await response.json()) as { usage?: { prompt_tokens: number; completion_tokens: number } };
    if (!response.ok || !body.usage) throw new Error(`provider answered ${response.status}`);
    tokensIn += body.usage.prompt_tokens;
    tokensOut += body.usage.completion_tokens;
    servedCost += BigInt(response.headers.get('x-y2c-cost') ?? '0');
    served++;
  };
  let onDemandTicks = 0;
  const treasuryTick = async () => {
    const { outcomes } = await runTreasury({ ...treasury, maxRounds: 3 });
    for (const outcome of outcomes) {
      if (outcome.status === 'failed') console.log(`economy: treasury ${outcome.decision.action} failed: ${outcome.error}`);
      if (outcome.status !== 'done') continue;
      const action = outcome.decision.action;
      agentGas.set(action, (agentGas.get(action) ?? 0n) + outcome.receipt.gasUsed);
      agentTxs.set(action, (agentTxs.get(action) ?? 0) + 1);
    }
  };
  const yearStarted = performance.now();
  const steps = (days * 24) / stepHours;
  for (let step = 1; step <= steps; step++) {
    await warp(Math.ceil((stepHours * 3_600) / requestsPerStep));
    await treasuryTick();
    const current = [...active];
    for (let r = 0; r < requestsPerStep; r++) {
      // Requests spread over the step, so the treasury's 24-hour burn rate sees them as they come.
      if (r > 0) await warp(Math.floor((stepHours * 3_600) / requestsPerStep));
      const member = current[Math.floor(random() * current.length)] ?? 0;
      try {
        await ask(member);
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        refused.set(name, (refused.get(name) ?? 0) + 1);
        // As the daemon does (startAgent's onOutOfCompute): running out of compute wakes the treasury.
        if (name === 'OutOfComputeError') {
          onDemandTicks++;
          await treasuryTick();
        }
      }
    }
    if ((step * stepHours) % 24 === 0) {
      const day = (step * stepHours) / 24;
      // Members come and go: leavers only once their lock is over.
      const candidates = current.filter(() => random() < 0.01);
      const unlocked: number[] = [];
      for (const i of candidates.slice(0, Math.floor(random() * (joinOrLeavePerDayMax + 1)))) {
        const unlocksAt = await publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'unlocksAt', args: [addressOf(i)] });
        if (BigInt(simNow) >= unlocksAt) unlocked.push(i);
      }
      await leave(unlocked);
      await topUpFunder();
      await confirmAll(await joinMembers(Math.floor(random() * (joinOrLeavePerDayMax + 1))));
      if (day % settleEveryDays === 0) await settle();
      if (day % 30 === 0 || day === 5) {
        const harvested = await publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'totalHarvested' });
        console.log(`economy: day ${day}: members ${active.size}, harvested ${formatUnits(harvested, 6)} USDx, served ${served}, refused ${[...refused.values()].reduce((a, b) => a + b, 0)}, ${((performance.now() - yearStarted) / 1000).toFixed(0)} s`);
      }
    }
  }
  await settle();
  console.log(`economy: the year took ${((performance.now() - yearStarted) / 1000).toFixed(1)} s`);
  const yearSeconds = (performance.now() - yearStarted) / 1000;

  // ------------------------------------------------------------------ accounts
  const yieldHarvested = await publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'totalHarvested' });
  // Compute delivered: what the provider redeemed on chain (its only USDx income) for what it served.
  const computeDelivered = await publicClient.readContract({ address: usdx, abi: usdxAbi, functionName: 'balanceOf', args: [node.address] });
  if (computeDelivered !== servedCost) throw new Error(`provider redeemed ${computeDelivered}, but it reported serving ${servedCost}`);
  const paidCalls = await store.costSince(0);
  if (paidCalls !== servedCost) throw new Error(`the agent's ledger has ${paidCalls} of paid calls, the provider reported ${servedCost}`);
  const tbaLeft = await publicClient.readContract({ address: usdx, abi: usdxAbi, functionName: 'balanceOf', args: [tba] });
  const joinedDuringYear = nextMember - members;

  // Everyone still staked leaves now (after the lock of the latest joiners): each must get back
  // exactly what they staked.
  const leftDuringYear = left;
  await warp(7 * 86_400 + 1);
  const leavingStarted = performance.now();
  await leave([...active]);
  console.log(`economy: ${left - leftDuringYear} members left at the end in ${((performance.now() - leavingStarted) / 1000).toFixed(1)} s`);
  const totalStaked = [...stakedBy.values()].reduce((a, b) => a + b, 0n);
  if (principalReturned !== principalOfLeavers || principalReturned !== totalStaked) {
    throw new Error(`principal returned ${principalReturned} ≠ staked by those who left ${principalOfLeavers} (all staked ${totalStaked})`);
  }
  const totalPrincipalAfter = await publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'totalPrincipal' });
  if (totalPrincipalAfter !== 0n) throw new Error(`vault still records ${totalPrincipalAfter} of principal after everyone left`);

  // ------------------------------------------------------------------ the alternative, measured
  // x402-style: one on-chain ERC-20 transfer per request from the same account (the TBA, a session
  // key allowed to transfer USDx to the provider) for a sample of the year's request prices.
  const x402Key = privateKeyToAccount(keccak256(stringToHex('y2c-bench-x402-key')));
  const { validAfter, chainNow } = await sessionValidAfter(publicClient);
  await confirm(
    await owner.writeContract({
      address: tba,
      abi: agentAccountAbi,
      functionName: 'grantSession',
      args: [
        x402Key.address,
        {
          validAfter,
          validUntil: chainNow + 86_400,
          period: 86_400,
          maxCallsPerPeriod: 1_000,
          nativeBudgetPerPeriod: 0n,
          gasAllowance: 0n, // direct transactions only: the key pays its own gas
          maxFeePerGas: 0n,
          calls: [{ target: usdx, selector: toFunctionSelector('function transfer(address,uint256)') }],
          tokenBudgets: [{ token: usdx, amountPerPeriod: parseUnits('1000000', 6) }],
          counterparties: [node.address],
          argumentRules: [],
        },
      ],
    }),
  );
  await confirm(await owner.sendTransaction({ to: x402Key.address, value: parseEther('1') }));
  await confirm(await owner.writeContract({ address: usdx, abi: usdxAbi, functionName: 'faucet', args: [tba, parseUnits('1000', 6)] }));
  const payer = createAgentWallet({ publicClient, chain: foundry, rpcUrl: anvil.rpcUrl, address: tba, sessionKey: x402Key, transport: { kind: 'direct' } });
  const perRequestPrice = servedCost / BigInt(Math.max(served, 1));
  let x402Gas = 0n;
  for (let i = 0; i < x402Sample; i++) {
    x402Gas += (await payer.sendCalls([{ to: usdx, data: encodeFunctionData({ abi: usdxAbi, functionName: 'transfer', args: [node.address, perRequestPrice] }) }])).gasUsed;
  }
  const x402GasPerRequest = Number(x402Gas) / x402Sample;

  // ------------------------------------------------------------------ the figures
  const gasOf = (action: string) => agentGas.get(action) ?? 0n;
  const settlementGas = gasOf('open') + gasOf('top_up') + gasOf('request_close') + gasOf('close') + gasOf('finalize') + redeemGas;
  const settlementTxs = (agentTxs.get('open') ?? 0) + (agentTxs.get('top_up') ?? 0) + (agentTxs.get('request_close') ?? 0) + (agentTxs.get('close') ?? 0) + (agentTxs.get('finalize') ?? 0) + redeemTxs;
  const allGas = settlementGas + gasOf('harvest') + gasOf('refill_gas');
  const gasToToken = (gas: number) => (gas * gasPriceGwei * 1e-9 * ethPriceInToken); // USDx
  const usd = (units: bigint) => Number(formatUnits(units, 6));
  const harvestedUsd = usd(yieldHarvested);
  const deliveredUsd = usd(computeDelivered);
  const gasUsd = gasToToken(Number(allGas));
  const efficiency = deliveredUsd / (harvestedUsd + gasUsd);
  const x402GasUsd = gasToToken(x402GasPerRequest * served);
  // The same year paid per request: the same harvests, a transfer per request instead of channels.
  const x402Efficiency = deliveredUsd / (harvestedUsd + x402GasUsd + gasToToken(Number(gasOf('harvest') + gasOf('refill_gas'))));
  const at1Gwei = (gas: number) => gas * 1e-9 * ethPriceInToken;
  const per1000 = (gas: number) => Math.round((gas / served) * 1000);
  const eth = (units: bigint) => (usd(units) / ethPriceInToken).toFixed(3);
  const actions = [...agentTxs.entries()].map(([action, count]) => `${action} ×${count} (${agentGas.get(action)} gas)`).join(', ');
  const refusedCount = [...refused.values()].reduce((a, b) => a + b, 0);
  const demandOverYield = (Number(formatUnits(perRequestPrice, 6)) * (served + refusedCount)) / harvestedUsd;
  const refusedText = [...refused.entries()].map(([name, count]) => `${name} ×${count}`).join(', ') || 'none';
  const scenario = `${members} members × 300 USDx (0.1 ETH at ethPriceInToken ${ethPriceInToken}) = ${formatUnits(stakeAmount * BigInt(members), 6)} USDx (${members * stakeEth} ETH-worth) at aprBps ${aprBps}, ${days === 365 ? 'one year' : `${days} days (not a full year)`} warped in ${stepHours} h steps; ${joinedDuringYear} joined and ${leftDuringYear} left during the year`;

  writeResult({
    name: 'economy-usdx',
    metrics: {
      yieldHarvested: {
        value: Number(harvestedUsd.toFixed(2)),
        unit: 'USDx',
        better: 'higher',
        note: `${scenario}: YieldVault.totalHarvested after the year = ${eth(yieldHarvested)} ETH-worth (≈ 10 expected); harvested by runTreasury/decideTreasury on its own decisions every ${stepHours} simulated hours and whenever a request found no compute, as the daemon's onOutOfCompute does (${onDemandTicks} such ticks; ${agentTxs.get('harvest') ?? 0} harvests)`,
      },
      computeDelivered: {
        value: Number(deliveredUsd.toFixed(2)),
        unit: 'USDx',
        better: 'higher',
        note: `redeemed on chain by the provider (= the x-y2c-cost it reported for every served request = the agent's paid-call ledger, asserted equal): ${served} requests served (${tokensIn} prompt + ${tokensOut} completion tokens counted by the upstream), ${eth(computeDelivered)} ETH-worth; refused: ${refusedText} (demand at the mean price is ${((demandOverYield - 1) * 100).toFixed(1)}% above the yield, on purpose: the agent runs out, wakes the treasury, and waits for the next harvest, so all of the yield is put to use); unspent at the end: ${formatUnits(tbaLeft, 6)} USDx in the TBA plus the open channel's remainder; prices scaled to ${formatUnits(priceInPerMTok, 6)}/${formatUnits(priceOutPerMTok, 6)} USDx per M tokens in/out so ${served} requests carry a year of demand`,
      },
      settlementGasPer1000Requests: {
        value: per1000(Number(settlementGas)),
        unit: 'gas',
        better: 'lower',
        note: `all gas of paying through channels (opens, top-ups, closes by the agent + the provider's redeemMany) ÷ requests served × 1000; the agent's transactions over the year: ${actions}; the provider: ${redeemTxs} redeemMany (${redeemGas} gas); harvest and gas refills excluded (paying per request needs them too). Settlement transactions follow the treasury's schedule, not the request count: at real-world prices the same ${settlementTxs} settlements would carry far more requests (100× the requests → ≈ ${Math.round(Number(settlementGas) / (served * 100))} gas per request, an extrapolation, not measured)`,
      },
      perRequestOnchainGasPer1000Requests: {
        value: per1000(x402GasPerRequest * served),
        unit: 'gas',
        better: 'lower',
        note: `x402-style alternative, MEASURED: ${x402Sample} USDx transfers of the mean request price (${formatUnits(perRequestPrice, 6)} USDx) from the same TBA to the provider through a session key (direct), mean ${Math.round(x402GasPerRequest)} gas each, × ${served} requests ÷ ${served} × 1000; ${(x402GasPerRequest * served / Number(settlementGas)).toFixed(0)}× the channel settlement gas`,
      },
      efficiency: {
        value: Number(efficiency.toFixed(4)),
        unit: 'ratio',
        better: 'higher',
        note: `compute delivered ÷ (yield harvested + every agent and provider transaction's gas: ${allGas} gas = ${gasUsd.toFixed(4)} USDx at ${gasPriceGwei} gwei and ${ethPriceInToken} USDx/ETH); at 1 gwei the gas is ${at1Gwei(Number(allGas)).toFixed(2)} USDx; the same year paid per request on chain (x402-style: the measured transfer gas × requests, plus the same harvests and refills) would give ${x402Efficiency.toFixed(4)} at ${gasPriceGwei} gwei, its gas ${at1Gwei(x402GasPerRequest * served + Number(gasOf('harvest') + gasOf('refill_gas'))).toFixed(2)} USDx at 1 gwei (efficiency at 1 gwei: channels ${(deliveredUsd / (harvestedUsd + at1Gwei(Number(allGas)))).toFixed(4)}, per request ${(deliveredUsd / (harvestedUsd + at1Gwei(x402GasPerRequest * served + Number(gasOf('harvest') + gasOf('refill_gas'))))).toFixed(4)}); the rest of the harvest (${(harvestedUsd - deliveredUsd).toFixed(2)} USDx) is not lost but still held by the TBA and the open channel`,
      },
      principalReturned: {
        value: Number(usd(principalReturned).toFixed(6)),
        unit: 'USDx',
        better: 'higher',
        note: `every member left (${leftDuringYear} during the year after their lock, the other ${left - leftDuringYear} at the end): the USDx each got back from unstake equals what they staked, to the unit, asserted per member and in total (${principalReturned} units = ${members + joinedDuringYear} × 300 USDx), vault principal 0 afterwards; staking ${members} members took ${stakingSeconds.toFixed(1)} s, the year ${yearSeconds.toFixed(0)} s, the whole bench ${((performance.now() - started) / 1000).toFixed(0)} s`,
      },
    },
  });
  memory.close();
} finally {
  await stopProvider();
  await model.stop();
  await devnet.stop();
  rmSync(dir, { recursive: true, force: true });
}
