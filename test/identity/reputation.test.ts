import { join } from 'node:path';
import { createWalletClient, http, parseUnits, zeroHash } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelPicker } from '../../agent/brain/createChannelPicker.js';
import { runSettleCheck } from '../../agent/jobs/runSettleCheck.js';
import { chooseProvider } from '../../agent/policy/chooseProvider.js';
import { rateProviders } from '../../agent/reputation/rateProviders.js';
import { readTreasurySnapshot } from '../../agent/treasury/readTreasurySnapshot.js';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { reputationRegistryAbi } from '../../chain/abi/generated/reputationRegistry.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { readProviderReputation } from '../../chain/identity/readProviderReputation.js';
import { signVoucher } from '../../chain/voucher/signVoucher.js';
import { loadSessionKey } from '../../chain/wallet/loadSessionKey.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { registerProviderIdentity } from '../../provider/register/registerProviderIdentity.js';
import { createPayingFetch } from '../../tools/compute/createPayingFetch.js';
import { createListComputeProvidersTool } from '../../tools/compute/createListComputeProvidersTool.js';
import { createSqlitePayingStore, type CreateSqlitePayingStoreReturnType } from '../../tools/compute/createSqlitePayingStore.js';
import { createGuardedExecutor, type GuardedExecutor } from '../../guard/createGuardedExecutor.js';
import { startAgentWorld, type AgentWorld } from '../fixtures/startAgentWorld.js';
import { startProviderNode, type ProviderNode } from '../fixtures/startProviderNode.js';
import { treasuryContextFor } from '../fixtures/treasuryContextFor.js';

// Provider reputation on ERC-8004, on the devnet world with a real provider node: after each
// settlement audit the agent rates the provider; a provider that redeems more than it reported
// drops; feedback from clients the agent does not trust (Sybil) moves nothing it reads.

let world: AgentWorld;
let memory: OpenAgentMemoryReturnType;
let provider: ProviderNode;
let store: CreateSqlitePayingStoreReturnType;
let guard: GuardedExecutor;
let providerAgentId: bigint;
const maxP50LatencyMs = 1_000;

beforeAll(async () => {
  world = await startAgentWorld();
  memory = world.openMemory();
  provider = await startProviderNode(world);
  await world.warp(30 * 86_400);
  guard = createGuardedExecutor({
    wallet: world.wallet,
    publicClient: world.publicClient,
    deployment: world.deployment,
    memory,
    policy: world.policy({ allowedActions: ['harvest', 'open', 'rate_provider'] }),
  });
  await guard.execute({ action: 'harvest' }, { reason: 'fund the test', origin: 'policy' });
  await guard.execute({ action: 'open', provider: world.provider, amount: parseUnits('1', 6) }, { reason: 'fund the test', origin: 'policy' });
  store = createSqlitePayingStore({ path: join(world.dir, 'compute.db') });
  const fetch = createPayingFetch({
    account: loadSessionKey({ path: world.devnet.sessionKeyPath }),
    channel: createChannelPicker({ memory, store }),
    caps: { perRequest: parseUnits('0.05', 6), daily: parseUnits('1', 6) },
    store,
  });
  for (let i = 0; i < 2; i++) {
    provider.model.push({ content: `answer ${i}` });
    const response = await fetch(`${provider.node.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }], max_tokens: 16 }),
    });
    expect(response.status).toBe(200);
    await response.text();
    memory.calls.record({ provider: world.provider, model: 'scripted', cost: 1n, latencyMs: 500, ok: true });
  }
  const providerClient = createWalletClient({ chain: foundry, transport: http(world.devnet.anvil.rpcUrl), account: devAccount(devRoles.provider).account, pollingInterval: 100 });
  ({ agentId: providerAgentId } = await registerProviderIdentity(providerClient, { identityRegistry: world.deployment.erc8004!.identityRegistry, agentURI: `${provider.node.url}/y2c/info` }));
});
afterAll(async () => {
  await provider.stop();
  store.close();
  memory.close();
  await world.stop();
});

const audit = async () => {
  const result = await runSettleCheck({ publicClient: world.publicClient, deployment: world.deployment, memory, payingStore: store });
  const ratings = await rateProviders({
    publicClient: world.publicClient,
    deployment: world.deployment,
    memory,
    guard,
    mismatched: [...result.anomalies.map((anomaly) => anomaly.provider), ...result.untrusted],
    maxP50LatencyMs,
  });
  return { result, ratings };
};
const readOwnFeedback = (index: bigint) =>
  world.publicClient.readContract({ address: world.deployment.erc8004!.reputationRegistry, abi: reputationRegistryAbi, functionName: 'readFeedback', args: [providerAgentId, world.deployment.agent.tba, index] });

describe('provider reputation (ERC-8004)', () => {
  it('the provider has an identity of its own, kept on a second registration', async () => {
    const providerClient = createWalletClient({ chain: foundry, transport: http(world.devnet.anvil.rpcUrl), account: devAccount(devRoles.provider).account, pollingInterval: 100 });
    expect(await registerProviderIdentity(providerClient, { identityRegistry: world.deployment.erc8004!.identityRegistry, agentURI: 'x' })).toEqual({ agentId: providerAgentId, registered: false });
  });

  it('after an honest settlement audit the agent posts its score, once', async () => {
    await provider.node.settler.settle();
    const { result, ratings } = await audit();
    expect(result.anomalies).toEqual([]);
    // 70 (all calls ok) + 30 × (1 − 500 / 2000) = 92.5 → 93.
    expect(ratings).toEqual([{ provider: world.provider, score: 93, ledgerMatched: true, outcome: 'posted' }]);
    const [value, decimals, tag1, tag2, revoked] = await readOwnFeedback(1n);
    expect([value, decimals, tag1, tag2, revoked]).toEqual([93n, 0, 'y2c.audit', 'ledger-match', false]);
    expect(memory.ledger.listRecent(5, 'rate_provider')[0]?.status).toBe('confirmed');
    const again = await audit();
    expect(again.ratings[0]?.outcome).toBe('unchanged');
  });

  it('a provider that redeems more than it reported scores 0 and drops out of the treasury choice', async () => {
    // The provider cashes the whole voucher the agent signed (authorized), not what it reported spent.
    const [state] = await store.channels();
    if (!state) throw new Error('no channel in the paying store');
    expect(state.authorized).toBeGreaterThan(state.spent);
    const voucher = await signVoucher({ account: loadSessionKey({ path: world.devnet.sessionKeyPath }), chainId: 31_337, market: world.deployment.computeMarket, channelId: state.channelId, authorized: state.authorized });
    const providerClient = createWalletClient({ chain: foundry, transport: http(world.devnet.anvil.rpcUrl), account: devAccount(devRoles.provider).account, pollingInterval: 100 });
    const hash = await providerClient.writeContract({ address: world.deployment.computeMarket, abi: computeMarketAbi, functionName: 'redeem', args: [state.channelId, state.authorized, state.authorized, voucher.signature] });
    await world.publicClient.waitForTransactionReceipt({ hash });

    const { result, ratings } = await audit();
    expect(result.anomalies.map((anomaly) => anomaly.provider)).toEqual([world.provider]);
    expect(ratings).toEqual([{ provider: world.provider, score: 0, ledgerMatched: false, outcome: 'posted' }]);
    const [value, , , tag2] = await readOwnFeedback(2n);
    expect([value, tag2]).toEqual([0n, 'ledger-mismatch']);

    const reputation = await readProviderReputation(world.publicClient, { erc8004: world.deployment.erc8004!, provider: world.provider, trustedClients: [world.deployment.agent.tba] });
    // (93 + 0) / 2, at the feedback's own decimals (0), rounded toward zero by the registry.
    expect(reputation).toEqual({ agentId: providerAgentId, count: 2, score: 46 });
    const snapshot = await readTreasurySnapshot({ ...treasuryContextFor(world, memory), reputationClients: [world.deployment.agent.tba] });
    const listed = snapshot.providers.find((entry) => entry.address === world.provider);
    expect(listed?.reputation).toEqual({ score: 46, count: 2 });
    const choice = chooseProvider({ providers: snapshot.providers, params: treasuryContextFor(world, memory).params });
    expect(choice.provider).toBeUndefined();
    expect(choice.reason).toContain('poorly rated: trusted clients score it 46.0/100 over 2 feedback');
  });

  it('Sybil feedback from clients the agent does not trust is ignored; the tool shows the trusted reputation', async () => {
    for (const index of [7, 8, 9]) {
      const sybil = createWalletClient({ chain: foundry, transport: http(world.devnet.anvil.rpcUrl), account: devAccount(index).account, pollingInterval: 100 });
      const hash = await sybil.writeContract({ address: world.deployment.erc8004!.reputationRegistry, abi: reputationRegistryAbi, functionName: 'giveFeedback', args: [providerAgentId, 100n, 0, 'y2c.audit', 'ledger-match', '', '', zeroHash] });
      await world.publicClient.waitForTransactionReceipt({ hash });
    }
    const trusted = await readProviderReputation(world.publicClient, { erc8004: world.deployment.erc8004!, provider: world.provider, trustedClients: [world.deployment.agent.tba] });
    expect(trusted).toMatchObject({ count: 2, score: 46 });
    // The filter is what protects: counting the Sybils would lift the provider above the bar.
    const everyone = await readProviderReputation(world.publicClient, { erc8004: world.deployment.erc8004!, provider: world.provider, trustedClients: [world.deployment.agent.tba, ...[7, 8, 9].map((index) => devAccount(index).account.address)] });
    expect(everyone).toMatchObject({ count: 5, score: 78 });

    const tool = createListComputeProvidersTool({ wallet: world.wallet, publicClient: world.publicClient, deployment: world.deployment, memory, guard, token: { symbol: 'USDx', decimals: 6 }, reputationClients: [world.deployment.agent.tba] });
    const message = await tool.invoke({ id: 'call-1', name: 'list_compute_providers', args: { trustedOnly: false }, type: 'tool_call' });
    expect(String(message.content)).toContain(`${world.provider} (trusted)`);
    expect(String(message.content)).toContain('reputation 46.0/100 from 2 trusted feedback');
  });
});
