/**
 * The seed's community, literally: 2,000 members each put 0.1 ETH into the agent's ETH vault, its
 * yield is converted into the payment token through a real Uniswap v3 pool, and the members spend
 * what their own stake earned, at real-world per-token prices, through the chat channel.
 *
 * - **Stake.** Every member owns a position: `EthStakeGateway.stakeFor(member)` with 0.1 ETH (the
 *   funding account pays the ETH; the position and the principal are the member's). The source is
 *   StakedEther, a wstETH-like ERC-4626 whose rate grows at 300 bps a year (Lido's published stETH
 *   APR has been about 2.7–3.2% through 2024–2025). Members leave with their own key (`unstake`), and
 *   what they get back is read from chain balances (WETH, 1:1 with ETH through `WETH.withdraw`).
 * - **A warped year.** Chain time moves three days per step (evm_increaseTime). Each step: the price
 *   keeper posts ETH/USD (3,000, the oracle's heartbeat), the real conversion job
 *   (agent/jobs/runConversion: harvest → YieldConverter → SwapRouter → the TBA, bounded by the
 *   oracle) runs, an arbitrageur buys back the WETH sold so the pool tracks the oracle as it does
 *   on a live network, the real treasury (runTreasury → decideTreasury → the guarded executor)
 *   keeps a channel funded, members chat, a few leave (after their lock) and a few join; the
 *   provider redeems every 9 simulated days (redeemMany).
 * - **Real prices.** The provider sells at Claude Sonnet 4's published API price, $3 per million
 *   input tokens and $15 per million output tokens (anthropic.com/pricing), USDx = $1. A member
 *   request is 1,500 prompt tokens (system prompt and history) and 300 completion tokens:
 *   $0.009. At 3% on 200 ETH the community earns ≈ 6 ETH ≈ $18,000 a year, ≈ 2 million requests.
 * - **Demand, batched.** Two million chat turns do not fit in minutes, so each HTTP request is a
 *   batch: a member's requests since their last turn, as many as their remaining quota pays for. It
 *   goes through the real chat server's member API (`POST /v1/chat/completions`, the member's own
 *   SIWE session as bearer, the chat's spending gate: pass on chain, quota reserved), the agent's
 *   paying fetch (vouchers on its channel) and the real provider node, whose upstream (the scripted
 *   model, the one allowed double) reports the batch's usage; the provider bills it at the real price
 *   and the member's quota is charged that. The agent's paying client refuses a provider reporting
 *   more prompt tokens than the prompt has bytes (a lie it cannot otherwise see), so the batch's
 *   n × 1,500 prompt tokens travel as the output tokens of the same price: n × 600 completion tokens
 *   (1,500 × $3 = 300 × $15); the money is exact, the in/out split of the batch is not. Each
 *   step 12 members take their turn, round-robin (the longest-waiting first); on the last day every
 *   member spends what is left before leaving. The request count is Σ n over the batches.
 * - **Measured, not assumed.** Yield harvested, USDx out of every conversion against the oracle's
 *   value, the provider's redemptions, every transaction's gas (agent, conversion, provider), and
 *   each leaver's principal.
 *
 * Writes bench/results/economy.json. Run: `npx tsx bench/economy.ts` (`--days 30` for a quick look:
 * the results file then says so). The USDx economy is the second run: bench/economyUsdx.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createWalletClient,
  encodeFunctionData,
  formatEther,
  formatUnits,
  http,
  keccak256,
  maxUint256,
  parseEther,
  parseEventLogs,
  parseUnits,
  stringToHex,
  type Address,
  type Hex,
  type LocalAccount,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import { foundry } from 'viem/chains';
import { treasuryParamsFromConfig } from '../agent/policy/treasuryParamsFromConfig.js';
import { runTreasury } from '../agent/treasury/runTreasury.js';
import type { TreasuryContext } from '../agent/treasury/TreasuryContext.js';
import { createChannelPicker } from '../agent/brain/createChannelPicker.js';
import { createCostMeter } from '../agent/brain/createCostMeter.js';
import { createChatServer } from '../agent/chat/createChatServer.js';
import { createOpenAiResponder } from '../agent/chat/createOpenAiResponder.js';
import { createMemberApi } from '../agent/api/createMemberApi.js';
import { runConversion } from '../agent/jobs/runConversion.js';
import { ethStakeGatewayAbi } from '../chain/abi/generated/ethStakeGateway.js';
import { priceFeedAbi } from '../chain/abi/generated/priceFeed.js';
import { swapRouterAbi } from '../chain/abi/generated/swapRouter.js';
import { usdxAbi } from '../chain/abi/generated/usdx.js';
import { wethAbi } from '../chain/abi/generated/weth.js';
import { yieldConverterAbi } from '../chain/abi/generated/yieldConverter.js';
import { yieldVaultAbi } from '../chain/abi/generated/yieldVault.js';
import { devAccount, devRoles } from '../devnet/devAccounts.js';
import { startDevnet } from '../devnet/startDevnet.js';
import { createAgentWallet } from '../chain/wallet/createAgentWallet.js';
import { loadSessionKey } from '../chain/wallet/loadSessionKey.js';
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
const stakeWei = parseEther('0.1');
const ethAprBps = 300; // devnetEthDefaults: StakedEther at about stETH's APR
const ethUsd = 3_000; // devnetEthDefaults: the feed and the pool's seed price
const daysFlag = process.argv.indexOf('--days');
const days = daysFlag > 0 ? Number(process.argv[daysFlag + 1]) : 365;
if (!Number.isInteger(days) || days < 2) throw new Error('--days must be an integer ≥ 2');
/** Days per step of the warped year (each step: price, conversion, treasury, turns, joins and leaves). */
const stepDays = 3;
const turnsPerStep = 12;
/**
 * One turn at a time: with concurrent turns on one channel the paying fetch signed vouchers below
 * what the provider held (402 voucher_insufficient on 19% of turns at 4 in flight; reported).
 */
const concurrency = 1;
const settleEveryDays = 9;
const joinOrLeavePerDayMax = 2;
/** Gas valued at a Base-like L2's execution gas price (L1 data fees not included). */
const gasPriceGwei = 0.01;
/** Claude Sonnet 4's published price (anthropic.com/pricing): $3 / $15 per million tokens in / out; USDx units (6 decimals) per million tokens. */
const priceInPerMTok = 3_000_000n;
const priceOutPerMTok = 15_000_000n;
const promptTokensPerRequest = 1_500;
const completionTokensPerRequest = 300;
/** USDx units of one request: 1,500 × $3/M + 300 × $15/M = $0.009. */
const requestCost = (BigInt(promptTokensPerRequest) * priceInPerMTok + BigInt(completionTokensPerRequest) * priceOutPerMTok) / 1_000_000n;
/** Output tokens whose price covers one request (the provider's bound is prompt bytes × in + max_tokens × out). */
const maxTokensPerRequest = Math.ceil(Number(requestCost * 1_000_000n) / Number(priceOutPerMTok));
const model = 'y2c-chat';
/** Quota kept back for the bound's prompt bytes (≈ 300 bytes × 3 units), USDx units. */
const promptRoom = 2_000n;

const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'y2c-bench-economy-eth-'));
const devnet = await startDevnet({ dataDir: dir, persist: false, bundler: false, aprBps: 500, dailyTokenBudget: '20000', demoStakes: [], owner: 'eoa', sessionLifetimeSeconds: 400 * 86_400 });
const batchOf = (request: { messages: Array<{ content?: unknown }> }) => {
  const text = request.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join(' ');
  return Number(/\[batch of (\d+) requests\]/.exec(text)?.[1] ?? '1');
};
const scripted = await startScriptedModel({
  models: ['scripted'],
  replies: (request) => {
    const n = batchOf(request);
    // The paying client refuses prompt counts above the prompt's bytes (a lying provider), so the
    // batch's prompt tokens are billed as the output tokens of the same price (see the header).
    return { content: `Answered ${n} requests.`, usage: { completion_tokens: n * maxTokensPerRequest } };
  },
});
const stops: (() => Promise<unknown> | unknown)[] = [];
try {
  const { publicClient, anvil } = devnet;
  const deployment = devnet.deployment as AgentDeployment;
  const { usdx, computeMarket: market } = deployment;
  const { tba } = deployment.agent;
  const eth = deployment.eth;
  if (!eth) throw new Error('the devnet has no ETH vault');
  const rpc = <T>(method: string, params: unknown[]) => publicClient.request({ method: method as never, params: params as never }) as Promise<T>;
  const clientOf = (account: LocalAccount) => createWalletClient({ chain: foundry, transport: http(anvil.rpcUrl), account, pollingInterval: 50 });
  const owner = devAccount(devRoles.owner).account;
  const providerClient = clientOf(devAccount(devRoles.provider).account);
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
    throw new Error(`transaction ${hash} not mined`);
  };
  let simNow = Number((await publicClient.getBlock()).timestamp);
  const warp = async (seconds: number) => {
    await rpc('evm_increaseTime', [seconds]);
    await rpc('evm_mine', []);
    simNow = Number((await publicClient.getBlock()).timestamp);
  };
  let seed = 0x2c2c2c2c;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const nonces = new Map<Address, number>();
  const sendRaw = async (account: LocalAccount, to: Address, data: Hex, gas: bigint, value = 0n): Promise<Hex> => {
    const nonce = nonces.get(account.address) ?? (await publicClient.getTransactionCount({ address: account.address, blockTag: 'pending' }));
    nonces.set(account.address, nonce + 1);
    const serializedTransaction = await account.signTransaction({ chainId: foundry.id, type: 'eip1559', to, data, gas, nonce, value, maxFeePerGas: parseUnits('50', 9), maxPriorityFeePerGas: 0n });
    return publicClient.sendRawTransaction({ serializedTransaction });
  };
  const send = async (account: LocalAccount, to: Address, data: Hex, gas: bigint, value = 0n) => confirm(await sendRaw(account, to, data, gas, value));
  /** Many transactions in few blocks: automine off, all sent, blocks mined until every one is in, automine back on. */
  const burst = async (sends: readonly (() => Promise<Hex>)[]) => {
    if (sends.length === 0) return [];
    await rpc('evm_setAutomine', [false]);
    const hashes: Hex[] = [];
    try {
      for (let k = 0; k < sends.length; k += 50) hashes.push(...(await Promise.all(sends.slice(k, k + 50).map((sendOne) => sendOne()))));
      for (let blocks = 0; ; blocks++) {
        await rpc('evm_mine', []);
        const status = await rpc<{ pending: string }>('txpool_status', []);
        if (BigInt(status.pending) === 0n) break;
        if (blocks > 10_000) throw new Error('the burst never emptied the pool');
      }
    } finally {
      await rpc('evm_setAutomine', [true]);
    }
    const receipts = [];
    for (let k = 0; k < hashes.length; k += 50) receipts.push(...(await Promise.all(hashes.slice(k, k + 50).map((hash) => publicClient.getTransactionReceipt({ hash })))));
    for (const receipt of receipts) if (receipt.status !== 'success') throw new Error(`transaction ${receipt.transactionHash} reverted`);
    return receipts;
  };

  // ------------------------------------------------------------------ members stake ETH
  const memberKey = (i: number) => privateKeyToAccount(keccak256(stringToHex(`y2c-bench-eth-member-${i}`)));
  const funder = devAccount(devRoles.firstStaker).account;
  const addresses = new Map<number, Address>();
  const addressOf = (i: number) => {
    let address = addresses.get(i);
    if (!address) addresses.set(i, (address = memberKey(i).address));
    return address;
  };
  const active: number[] = []; // round-robin order: the longest-waiting first
  let nextMember = 0;
  let staked = 0;
  // The funder pays the ETH; 2,380 × 0.1 ETH plus gas.
  await rpc('anvil_setBalance', [funder.address, `0x${parseEther('1000000').toString(16)}`]);
  const joinMembers = async (count: number) => {
    const joining = Array.from({ length: count }, () => nextMember++);
    // Signed one after another (the funder's nonces), mined together.
    const signed: Hex[] = [];
    for (const i of joining) {
      const nonce = nonces.get(funder.address) ?? (await publicClient.getTransactionCount({ address: funder.address, blockTag: 'pending' }));
      nonces.set(funder.address, nonce + 1);
      const data = encodeFunctionData({ abi: ethStakeGatewayAbi, functionName: 'stakeFor', args: [addressOf(i)] });
      signed.push(await funder.signTransaction({ chainId: foundry.id, type: 'eip1559', to: eth.gateway, data, gas: 400_000n, nonce, value: stakeWei, maxFeePerGas: parseUnits('50', 9), maxPriorityFeePerGas: 0n }));
    }
    await burst(signed.map((serializedTransaction) => () => publicClient.sendRawTransaction({ serializedTransaction })));
    for (const i of joining) {
      active.push(i);
      staked++;
    }
  };
  await joinMembers(members);
  const stakingSeconds = (performance.now() - started) / 1000;
  const initialPrincipal = await publicClient.readContract({ address: eth.vault, abi: yieldVaultAbi, functionName: 'totalPrincipal' });
  if (initialPrincipal !== stakeWei * BigInt(members)) throw new Error(`ETH vault principal ${initialPrincipal} ≠ ${members} × 0.1 ETH`);
  console.log(`economy: ${members} members staked ${formatEther(initialPrincipal)} ETH in ${stakingSeconds.toFixed(1)} s`);

  // Leaving: the member's own key unstakes all its principal; what comes back is read from chain.
  let exactLeavers = 0;
  let leavers = 0;
  let principalReturned = 0n;
  const leave = async (indices: readonly number[]) => {
    for (let k = 0; k < indices.length; k += 50) {
      const slice = indices.slice(k, k + 50);
      const prepared = await Promise.all(
        slice.map(async (i) => {
          const account = memberKey(i);
          const [, before, principal] = await Promise.all([
            rpc('anvil_setBalance', [account.address, '0x16345785d8a0000']), // 0.1 ETH for its gas
            publicClient.readContract({ address: eth.weth, abi: wethAbi, functionName: 'balanceOf', args: [account.address] }),
            publicClient.readContract({ address: eth.vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [account.address] }),
          ]);
          if (principal !== stakeWei) throw new Error(`member ${i}: principal ${principal} ≠ 0.1 ETH`);
          return { i, account, before, principal };
        }),
      );
      await burst(prepared.map(({ account, principal }) => () => sendRaw(account, eth.vault, encodeFunctionData({ abi: yieldVaultAbi, functionName: 'unstake', args: [principal] }), 400_000n)));
      const afters = await Promise.all(prepared.map(({ i }) => publicClient.readContract({ address: eth.weth, abi: wethAbi, functionName: 'balanceOf', args: [addressOf(i)] })));
      for (const [n, { i, before }] of prepared.entries()) {
        const got = (afters[n] ?? 0n) - before;
        principalReturned += got;
        leavers++;
        if (got === stakeWei) exactLeavers++;
        else console.log(`economy: member ${i} got ${got} wei back for 0.1 ETH`);
        active.splice(active.indexOf(i), 1);
      }
    }
  };

  // ------------------------------------------------------------------ the provider, at real prices
  const node = await startProvider({
    client: providerClient,
    market,
    backend: createOpenAiBackend({ baseUrl: scripted.url, models: { [model]: 'scripted' } }),
    priceInPerMTok,
    priceOutPerMTok,
    defaultMaxTokens: 256n,
    databasePath: join(dir, 'provider.db'),
    settleIntervalMs: 2_000_000_000, // settled by hand every simulated week
    channelTtlMs: 0,
  });
  stops.push(() => node.stop({ settle: false }));
  await registerProvider(providerClient, { market, endpoint: node.url, priceInPerMTok, priceOutPerMTok, models: [model] });

  // ------------------------------------------------------------------ the agent, as startAgent wires it
  const config = loadConfig({
    cwd: dir,
    env: {},
    overrides: {
      dataDir: dir,
      chain: { transport: 'direct' },
      agent: {
        trustedProviders: [node.address],
        runwayTargetHours: 48,
        caps: { perRequestCap: '100', dailyCap: '20000', dailyComputeBudget: '20000' },
        treasury: { minDeposit: '20', reserve: '1' },
      },
    },
  });
  const sessionKey = loadSessionKey({ path: devnet.sessionKeyPath });
  const wallet = createAgentWallet({ publicClient, chain: foundry, rpcUrl: anvil.rpcUrl, address: tba, sessionKey, transport: { kind: 'direct' } });
  const keyClient = clientOf(sessionKey);
  const clock = { now: () => simNow };
  const memory = openAgentMemory(join(dir, 'agent.db'), clock);
  stops.push(() => memory.close());
  const payingStore = createSqlitePayingStore({ path: join(dir, 'compute.db') });
  stops.push(() => payingStore.close());
  const meter = createCostMeter({
    store: payingStore,
    onCall: (call, { member }) => void memory.calls.record({ provider: call.provider, channelId: call.channelId, model: call.model, cost: call.cost, latencyMs: 0, ok: true, ...(member ? { member } : {}) }),
  });
  const guard = createGuardedExecutor({ wallet, publicClient, deployment, memory, policy: guardPolicyFromConfig({ config, extraTrustedProviders: [node.address] }), ...clock });
  const treasury: TreasuryContext = {
    wallet,
    publicClient,
    deployment,
    memory,
    guard,
    payingStore,
    now: () => simNow * 1000,
    params: treasuryParamsFromConfig({ config }),
    runwayTargetHours: config.agent.runwayTargetHours,
    minHarvest: config.agent.treasury.minHarvest,
    ethPriceInToken: BigInt(ethUsd),
  };
  const payingFetch = createPayingFetch({
    account: sessionKey,
    channel: createChannelPicker({ memory, store: payingStore }),
    caps: { perRequest: config.agent.caps.perRequestCap, daily: config.agent.caps.dailyComputeBudget },
    store: meter.store,
    market,
    chainId: foundry.id,
    now: () => simNow * 1000,
  });
  const chat = await createChatServer({
    client: publicClient,
    chainId: foundry.id,
    vault: deployment.agent.vault,
    ethVault: { vault: eth.vault, converter: eth.converter },
    token: usdx,
    agent: tba,
    pass: { kind: 'stake', minStake: parseUnits('1', 6) },
    memory,
    responder: createOpenAiResponder({ baseUrl: node.url, model, fetch: payingFetch, meter }),
    aprBps: () => ethAprBps,
    // One process stands for 2,000 members' devices: the per-address limits would see one address.
    limits: { network: { capacity: 1_000_000, refillPerSecond: 1_000_000 }, member: { capacity: 100, refillPerSecond: 100 } },
    mounts: [createMemberApi({ providers: async () => [{ address: node.address, baseUrl: node.url, model }], fetch: payingFetch, meter })],
  });
  stops.push(() => chat.close());

  // ------------------------------------------------------------------ members chat
  const sessions = new Map<number, string>();
  const signIn = async (i: number) => {
    const account = memberKey(i);
    const nonce = (await (await fetch(`${chat.url}/api/siwe/nonce`)).json()) as { nonce: string; domain: string; uri: string; chainId: number };
    const message = createSiweMessage({ address: account.address, domain: nonce.domain, uri: nonce.uri, chainId: nonce.chainId, nonce: nonce.nonce, version: '1', issuedAt: new Date(), expirationTime: new Date(Date.now() + 10 * 60_000) });
    const response = await fetch(`${chat.url}/api/siwe/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message, signature: await account.signMessage({ message }) }) });
    const body = (await response.json()) as { token?: string };
    if (!response.ok || !body.token) throw new Error(`member ${i}: sign-in answered ${response.status}`);
    sessions.set(i, body.token);
    return body.token;
  };
  const served = new Set<number>();
  let requests = 0;
  let turns = 0;
  let chargedToMembers = 0n;
  const refused = new Map<string, number>();
  let onDemandTicks = 0;
  const agentGas = new Map<string, bigint>();
  const agentTxs = new Map<string, number>();
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
  /** One member turn: read the quota left, send the batch it pays for. */
  const turn = async (i: number, retried = false): Promise<void> => {
    const token = sessions.get(i) ?? (await signIn(i));
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const me = (await (await fetch(`${chat.url}/api/me`, { headers })).json()) as { quota: { remaining: string } };
    // The provider's bound also counts the prompt's bytes at the input price (3 units each): keep room for them.
    const n = Math.min(1_000_000 / maxTokensPerRequest, Number((BigInt(me.quota.remaining) - promptRoom) / requestCost));
    if (n < 1) return;
    const body = JSON.stringify({
      model,
      max_tokens: n * maxTokensPerRequest,
      messages: [{ role: 'user', content: `[batch of ${n} requests] Member ${i}: what did the treasury do today, and what should we build next?` }],
    });
    const response = await fetch(`${chat.url}/v1/chat/completions`, { method: 'POST', headers, body });
    const text = await response.text();
    if (!response.ok) {
      const code = /"code":"([a-z_]+)"/.exec(text)?.[1] ?? String(response.status);
      refused.set(code, (refused.get(code) ?? 0) + 1);
      if ((refused.get(code) ?? 0) <= 3) console.log(`economy: member ${i}: ${response.status} ${text.slice(0, 400)}`);
      // As the daemon does (onOutOfCompute): running out of compute wakes the treasury; then once more.
      if (!retried && response.status >= 500) {
        onDemandTicks++;
        await treasuryTick();
        return turn(i, true);
      }
      return;
    }
    const cost = BigInt(response.headers.get('x-y2c-cost') ?? '0');
    const usage = (JSON.parse(text) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    // The batch's requests plus the carrier message's own prompt tokens (a few dozen), at the real price.
    const expected = BigInt(n) * requestCost + BigInt(usage.prompt_tokens) * (priceInPerMTok / 1_000_000n);
    if (cost !== expected || usage.completion_tokens !== n * maxTokensPerRequest) throw new Error(`member ${i}: a batch of ${n} cost ${cost}, expected ${expected}`);
    chargedToMembers += cost;
    requests += n;
    turns++;
    served.add(i);
  };
  const turnsOf = async (indices: readonly number[]) => {
    const queue = [...indices];
    await Promise.all(Array.from({ length: concurrency }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) await turn(i);
    }));
  };

  // ------------------------------------------------------------------ the year
  const ownerClient = clientOf(owner);
  const arbitrageur = devAccount(devRoles.firstStaker + 1).account;
  await rpc('anvil_setBalance', [arbitrageur.address, `0x${parseEther('1000').toString(16)}`]);
  await send(arbitrageur, usdx, encodeFunctionData({ abi: usdxAbi, functionName: 'faucet', args: [arbitrageur.address, 1_000_000n * 10n ** 6n] }), 200_000n);
  await send(arbitrageur, usdx, encodeFunctionData({ abi: usdxAbi, functionName: 'approve', args: [eth.swapRouter, maxUint256] }), 100_000n);
  let conversions = 0;
  let conversionRefusals = 0;
  const keeperPrice = BigInt(ethUsd) * 10n ** 8n;
  let redeemGas = 0n;
  let redeemTxs = 0;
  const settle = async () => {
    const result = await node.settler.settle();
    if (result.txHash) {
      redeemGas += (await confirm(result.txHash)).gasUsed;
      redeemTxs++;
    }
  };
  const yearStarted = performance.now();
  for (let day = 0; day < days; ) {
    const step = Math.min(stepDays, days - day);
    day += step;
    await warp(step * 86_400);
    // The oracle's heartbeat (Chainlink's keepers on a live network; not the agent's gas).
    await confirm(await ownerClient.writeContract({ address: eth.priceFeed, abi: priceFeedAbi, functionName: 'setPrice', args: [keeperPrice] }));
    const conversion = await runConversion({ publicClient, walletClient: keyClient, deployment, memory });
    if (conversion.status === 'converted') {
      conversions++;
      // Arbitrage keeps a live pool at the market price: buy back the WETH the conversion sold.
      const deadline = BigInt(simNow + 3_600);
      await send(arbitrageur, eth.swapRouter, encodeFunctionData({
        abi: swapRouterAbi,
        functionName: 'exactOutputSingle',
        args: [{ tokenIn: usdx, tokenOut: eth.weth, fee: eth.poolFee, recipient: arbitrageur.address, deadline, amountOut: conversion.amountIn, amountInMaximum: maxUint256, sqrtPriceLimitX96: 0n }],
      }), 400_000n);
    } else if (conversion.status === 'waiting') {
      conversionRefusals++;
      console.log(`economy: day ${day}: conversion waits (${conversion.reason})`);
    }
    await treasuryTick();
    const today = active.splice(0, turnsPerStep);
    active.push(...today);
    await turnsOf(today);
    // The daemon's treasury ticks every 5 minutes: it also sees the burn right after the turns (a
    // step is longer than its 24-hour burn window; ticking only at a step's start saw no burn and
    // never topped up, so turns larger than the channel's remainder were refused for ever).
    await treasuryTick();
    // Members come and go: leavers only once their lock is over.
    const candidates = active.filter(() => random() < 0.02).slice(0, Math.floor(random() * (joinOrLeavePerDayMax + 1)));
    const unlocked: number[] = [];
    for (const i of candidates) {
      const unlocksAt = await publicClient.readContract({ address: eth.vault, abi: yieldVaultAbi, functionName: 'unlocksAt', args: [addressOf(i)] });
      if (BigInt(simNow) >= unlocksAt) unlocked.push(i);
    }
    // A leaver spends what their stake earned first.
    await turnsOf(unlocked);
    await leave(unlocked);
    await joinMembers(Math.floor(random() * (joinOrLeavePerDayMax + 1)));
    if (day % settleEveryDays === 0) await settle();
    if (day % 30 === 0 || day === 3) {
      const harvested = await publicClient.readContract({ address: eth.vault, abi: yieldVaultAbi, functionName: 'totalHarvested' });
      console.log(`economy: day ${day}: members ${active.length}, harvested ${formatEther(harvested)} ETH, ${conversions} conversions, ${turns} turns = ${requests} requests, refused ${JSON.stringify(Object.fromEntries(refused))}, ${((performance.now() - yearStarted) / 1000).toFixed(0)} s`);
    }
  }
  const yearSeconds = (performance.now() - yearStarted) / 1000;

  // ------------------------------------------------------------------ the end: everyone spends what is left, then leaves
  await warp(7 * 86_400 + 1); // past the lock of the latest joiners
  await confirm(await ownerClient.writeContract({ address: eth.priceFeed, abi: priceFeedAbi, functionName: 'setPrice', args: [keeperPrice] }));
  const last = await runConversion({ publicClient, walletClient: keyClient, deployment, memory });
  if (last.status === 'converted') conversions++;
  await treasuryTick();
  const spreeStarted = performance.now();
  const remainingMembers = [...active];
  await turnsOf(remainingMembers);
  await settle();
  const spreeSeconds = (performance.now() - spreeStarted) / 1000;
  const leaversDuringYear = leavers;
  const leavingStarted = performance.now();
  await leave(remainingMembers);
  console.log(`economy: ${leavers - leaversDuringYear} members left at the end in ${((performance.now() - leavingStarted) / 1000).toFixed(1)} s`);
  const totalPrincipalAfter = await publicClient.readContract({ address: eth.vault, abi: yieldVaultAbi, functionName: 'totalPrincipal' });
  const principalReturnedExact = exactLeavers === staked && leavers === staked && totalPrincipalAfter === 0n && principalReturned === stakeWei * BigInt(staked) ? 1 : 0;

  // ------------------------------------------------------------------ accounts, from chain
  const yieldHarvestedWei = await publicClient.readContract({ address: eth.vault, abi: yieldVaultAbi, functionName: 'totalHarvested' });
  const [convertedIn, convertedOut] = await publicClient.readContract({ address: eth.converter, abi: yieldConverterAbi, functionName: 'totals' });
  const convertedLogs = parseEventLogs({ abi: yieldConverterAbi, eventName: 'Converted', logs: await publicClient.getLogs({ address: eth.converter, fromBlock: 0n }) });
  const oracleOut = convertedLogs.reduce((sum, log) => sum + log.args.oracleOut, 0n);
  const realizedOut = convertedLogs.reduce((sum, log) => sum + log.args.amountOut, 0n);
  if (realizedOut !== convertedOut) throw new Error(`Converted events sum to ${realizedOut}, the converter's totals say ${convertedOut}`);
  const conversionSlippageBps = oracleOut === 0n ? 0 : Number(((oracleOut - realizedOut) * 1_000_000n) / oracleOut) / 100;
  // Conversion gas: every harvest of the ETH vault and every convert, from their receipts.
  const harvestLogs = parseEventLogs({ abi: yieldVaultAbi, eventName: 'Harvested', logs: await publicClient.getLogs({ address: eth.vault, fromBlock: 0n }) });
  const conversionHashes = new Set<Hex>([...convertedLogs.map((log) => log.transactionHash), ...harvestLogs.map((log) => log.transactionHash)]);
  let conversionGas = 0n;
  for (const hash of conversionHashes) conversionGas += (await publicClient.getTransactionReceipt({ hash })).gasUsed;
  const computeDelivered = await publicClient.readContract({ address: usdx, abi: usdxAbi, functionName: 'balanceOf', args: [node.address] });
  const paidCalls = await payingStore.costSince(0);
  if (paidCalls !== computeDelivered) throw new Error(`the agent's ledger paid ${paidCalls}, the provider redeemed ${computeDelivered}`);
  if (chargedToMembers !== computeDelivered) throw new Error(`members were charged ${chargedToMembers}, the provider redeemed ${computeDelivered}`);
  const tbaLeft = await publicClient.readContract({ address: usdx, abi: usdxAbi, functionName: 'balanceOf', args: [tba] });

  const gasOf = (action: string) => agentGas.get(action) ?? 0n;
  const settlementGas = gasOf('open') + gasOf('top_up') + gasOf('request_close') + gasOf('close') + gasOf('finalize') + redeemGas;
  const allGas = settlementGas + conversionGas + gasOf('harvest') + gasOf('refill_gas');
  const usd = (units: bigint) => Number(formatUnits(units, 6));
  const yieldValueUsd = Number(formatEther(yieldHarvestedWei)) * ethUsd;
  const gasUsd = Number(allGas) * gasPriceGwei * 1e-9 * ethUsd;
  const efficiency = usd(computeDelivered) / (yieldValueUsd + gasUsd);
  const settlementGasPer1000Requests = Math.round((Number(settlementGas) / Math.max(requests, 1)) * 1000);
  const actions = [...agentTxs.entries()].map(([action, count]) => `${action} ×${count} (${agentGas.get(action)} gas)`).join(', ');
  const refusedText = [...refused.entries()].map(([code, count]) => `${code} ×${count}`).join(', ') || 'none';
  const span = days === 365 ? 'one year' : `${days} days (NOT a full year)`;
  const scenario = `${members} members × 0.1 ETH into the ETH vault (StakedEther at ${ethAprBps} bps, about stETH's published APR), ${span} warped ${stepDays} days per step, ETH/USD ${ethUsd}; ${staked - members} joined and ${leaversDuringYear} left during the year`;
  writeResult({
    name: 'economy',
    metrics: {
      stakers: { value: staked, unit: 'members', better: 'higher', note: `${members} at the start + ${staked - members} who joined during the year, each with a position of its own (EthStakeGateway.stakeFor); staking ${members} took ${stakingSeconds.toFixed(1)} s` },
      stakePerMemberEth: { value: Number(formatEther(stakeWei)), unit: 'ETH', better: 'higher', note: 'the seed\'s example: 0.1 ETH each (ETH wrapped to WETH by the gateway)' },
      yieldHarvestedEth: {
        value: Number(Number(formatEther(yieldHarvestedWei)).toFixed(6)),
        unit: 'ETH',
        better: 'higher',
        note: `${scenario}: ETH YieldVault.totalHarvested, harvested by the conversion job (agent/jobs/runConversion, ${conversions} conversions, ${conversionRefusals} refusals waited out), worth ${yieldValueUsd.toFixed(2)} USDx at the oracle`,
      },
      computeDelivered: {
        value: Number(usd(computeDelivered).toFixed(2)),
        unit: 'USDx',
        better: 'higher',
        note: `redeemed on chain by the provider = the agent's paid-call ledger = what members' quotas were charged (asserted equal): ${requests} requests at Claude Sonnet 4's price ($3/$15 per M tokens in/out; ${promptTokensPerRequest} + ${completionTokensPerRequest} tokens = ${formatUnits(requestCost, 6)} USDx each) in ${turns} batched member turns through the chat's member API (${turnsPerStep} members every ${stepDays} days round-robin, and every member before leaving); refused turns: ${refusedText} (${onDemandTicks} woke the treasury); converted ${formatEther(convertedIn)} WETH into ${formatUnits(convertedOut, 6)} USDx; left unspent in the TBA: ${formatUnits(tbaLeft, 6)} USDx (plus the open channel's remainder)`,
      },
      conversionSlippageBps: {
        value: conversionSlippageBps,
        unit: 'bps',
        better: 'lower',
        note: `(oracle value − USDx received) ÷ oracle value over every Converted event (${convertedLogs.length}): ${formatUnits(realizedOut, 6)} received against ${formatUnits(oracleOut, 6)} at the oracle; the 0.3% pool fee is 30 bps, the converter's bound is ${100} bps; an arbitrageur buys the WETH back after each conversion, as a live pool's would`,
      },
      efficiency: {
        value: Number(efficiency.toFixed(4)),
        unit: 'ratio',
        better: 'higher',
        note: `compute delivered ÷ (yield harvested at the oracle + all gas: ${allGas} gas = ${gasUsd.toFixed(4)} USDx at ${gasPriceGwei} gwei, of which conversion ${conversionGas}, settlement ${settlementGas}, refills ${gasOf('refill_gas')}); at 1 gwei the gas would be ${(Number(allGas) * 1e-9 * ethUsd).toFixed(2)} USDx; the shortfall is the pool fee (slippage) and what is still unspent`,
      },
      settlementGasPer1000Requests: {
        value: settlementGasPer1000Requests,
        unit: 'gas',
        better: 'lower',
        note: `MEASURED settlement gas (channel opens, top-ups and closes by the agent: ${actions || 'none'}; the provider's ${redeemTxs} redeemMany: ${redeemGas} gas) = ${settlementGas} gas ÷ ${requests} requests × 1000, at real prices: the channel's vouchers are cumulative, so settlement follows the money (the treasury's runway), not the request count`,
      },
      principalReturnedExact: {
        value: principalReturnedExact,
        unit: 'bool',
        better: 'higher',
        note: `${exactLeavers} of ${staked} members got exactly 0.1 ETH (as WETH) back from unstake, read from chain balances (${leaversDuringYear} during the year after their lock, ${leavers - leaversDuringYear} at the end); ${formatEther(principalReturned)} ETH returned in all; ETH vault principal afterwards ${totalPrincipalAfter}`,
      },
      membersServed: {
        value: served.size,
        unit: 'members',
        better: 'higher',
        note: `distinct members with at least one paid batch answered, of ${staked}; the year took ${yearSeconds.toFixed(0)} s, the last day's turns ${spreeSeconds.toFixed(0)} s, the whole bench ${((performance.now() - started) / 1000).toFixed(0)} s`,
      },
    },
  });
} finally {
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (error) {
      console.error('economy: stopping', error);
    }
  }
  await scripted.stop();
  await devnet.stop();
  rmSync(dir, { recursive: true, force: true });
}
