/**
 * Issue 16 on the devnet, through the agent's own account: the agent's paying fetch keeps the provider's
 * signed receipts; the settle job's bond claims (runBondClaims, what the daemon's settle job runs after the
 * audit) accuse a provider that redeemed above the last spent it signed, through the guarded executor and
 * the TBA's session policy, and slash it once the window ends: the bond lands at the TBA. A false accusation
 * is refused before any gas is spent, and an unbonded provider is refused before trust.
 */
import { join } from 'node:path';
import { createWalletClient, erc20Abi, http, parseUnits } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelPicker } from '../../agent/brain/createChannelPicker.js';
import { runBondClaims } from '../../agent/jobs/runBondClaims.js';
import { runSettleCheck } from '../../agent/jobs/runSettleCheck.js';
import { decideTreasury } from '../../agent/policy/decideTreasury.js';
import { readTreasurySnapshot } from '../../agent/treasury/readTreasurySnapshot.js';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { signVoucher } from '../../chain/voucher/signVoucher.js';
import { loadSessionKey } from '../../chain/wallet/loadSessionKey.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { createGuardedExecutor, type GuardedExecutor } from '../../guard/createGuardedExecutor.js';
import { BondClaimRefusedError, UntrustedProviderError } from '../../guard/errors.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { registerProvider } from '../../provider/register/registerProvider.js';
import { createPayingFetch } from '../../tools/compute/createPayingFetch.js';
import { createSqlitePayingStore, type CreateSqlitePayingStoreReturnType } from '../../tools/compute/createSqlitePayingStore.js';
import { startAgentWorld, type AgentWorld } from '../fixtures/startAgentWorld.js';
import { startProviderNode, type ProviderNode } from '../fixtures/startProviderNode.js';
import { configFor, treasuryContextFor } from '../fixtures/treasuryContextFor.js';

let world: AgentWorld;
let memory: OpenAgentMemoryReturnType;
let provider: ProviderNode;
let store: CreateSqlitePayingStoreReturnType;
let guard: GuardedExecutor;
let minBond: bigint;
const providerClient = () => createWalletClient({ chain: foundry, transport: http(world.devnet.anvil.rpcUrl), account: devAccount(devRoles.provider).account, pollingInterval: 100 });
const read = <T>(functionName: 'bondOf' | 'accusationOf' | 'getChannel', args: readonly [unknown]) =>
  world.publicClient.readContract({ address: world.deployment.computeMarket, abi: computeMarketAbi, functionName, args } as never) as Promise<T>;
const balanceOfTba = () => world.publicClient.readContract({ address: world.deployment.usdx, abi: erc20Abi, functionName: 'balanceOf', args: [world.deployment.agent.tba] });

beforeAll(async () => {
  world = await startAgentWorld();
  memory = world.openMemory();
  provider = await startProviderNode(world);
  await world.warp(30 * 86_400);
  minBond = configFor(world).agent.minProviderBond;
  guard = createGuardedExecutor({
    wallet: world.wallet,
    publicClient: world.publicClient,
    deployment: world.deployment,
    memory,
    policy: world.policy({ allowedActions: ['harvest', 'open', 'accuse_over_redemption', 'slash_over_redemption', 'prove_double_signing'], minProviderBond: minBond }),
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
  }
});

afterAll(async () => {
  await provider?.stop();
  store?.close();
  memory?.close();
  await world?.stop();
});

describe('bond claims through the TBA', () => {
  it('the local world’s provider is bonded; an unbonded one is refused before trust, by the treasury and by the guard', async () => {
    expect(minBond).toBe(parseUnits('10', 6));
    expect((await read<{ bonded: bigint }>('bondOf', [world.provider])).bonded).toBe(minBond);
    const stranger = createWalletClient({ chain: foundry, transport: http(world.devnet.anvil.rpcUrl), account: devAccount(9).account, pollingInterval: 100 });
    await registerProvider(stranger, { market: world.deployment.computeMarket, endpoint: 'http://127.0.0.1:1/v1', priceInPerMTok: 1n, priceOutPerMTok: 1n, models: ['scripted'] });
    const unbonded = stranger.account.address;
    const context = treasuryContextFor(world, memory);
    const config = configFor(world);
    const trusting = createGuardedExecutor({ wallet: world.wallet, publicClient: world.publicClient, deployment: world.deployment, memory, policy: world.policy({ trustedProviders: [world.provider, unbonded], minProviderBond: minBond }) });
    const snapshot = await readTreasurySnapshot({ ...context, guard: trusting });
    expect(snapshot.providers.find((entry) => entry.address === unbonded)).toMatchObject({ trusted: true, bond: 0n });
    // No channel at all: the cheapest trusted provider (the unbonded one, at 1 unit per M tokens) is passed over with the reason.
    const decisions = decideTreasury({ ...snapshot, channels: [] }, { ...context.params, minProviderBond: config.agent.minProviderBond });
    const open = decisions.find((decision) => decision.action === 'open');
    expect(open?.params).toMatchObject({ provider: world.provider });
    const refused = decideTreasury({ ...snapshot, channels: [], providers: snapshot.providers.filter((entry) => entry.address === unbonded) }, context.params);
    expect(refused.map((decision) => decision.action)).toEqual(['wait']);
    expect(refused[0]!.reason).toContain(`${unbonded} is not bonded enough: its bond of 0 token units is below the minimum of ${minBond} (agent.minProviderBond)`);
    // The guard is the second wall (the model's buy_compute goes through it too).
    await expect(trusting.check({ action: 'open', provider: unbonded, amount: parseUnits('1', 6) })).rejects.toThrow(UntrustedProviderError);
    await expect(trusting.check({ action: 'open', provider: unbonded, amount: parseUnits('1', 6) })).rejects.toThrow(`holds a bond of 0 token units, below the agent's minimum of ${minBond}`);
    await trusting.check({ action: 'open', provider: world.provider, amount: parseUnits('1', 6) });
  });

  it('an honest provider is never accused, and a false accusation is refused before any gas is spent', async () => {
    await provider.node.settler.settle();
    const [state] = await store.channels();
    const receipts = store.receipts(state!.channelId);
    expect(receipts).toHaveLength(2);
    expect(await runBondClaims({ publicClient: world.publicClient, deployment: world.deployment, payingStore: store, guard })).toEqual([]);
    const ledgerBefore = memory.ledger.listRecent(10, 'accuse_over_redemption').length;
    // Redeemed = the last spent signed: an accusation with any receipt would be false.
    await expect(guard.execute({ action: 'accuse_over_redemption', receipt: receipts[1]! }, { reason: 'injected', origin: 'llm' })).rejects.toThrow(BondClaimRefusedError);
    await expect(guard.execute({ action: 'accuse_over_redemption', receipt: receipts[1]! }, { reason: 'injected', origin: 'llm' })).rejects.toThrow('that accusation would be false');
    // A receipt the provider did not sign (a forged total) is refused too.
    await expect(guard.execute({ action: 'accuse_over_redemption', receipt: { ...receipts[0]!, spentAfter: 0n } }, { reason: 'forged', origin: 'llm' })).rejects.toThrow('is not signed by its provider');
    await expect(guard.execute({ action: 'slash_over_redemption', channelId: state!.channelId }, { reason: 'injected', origin: 'llm' })).rejects.toThrow('has no open accusation');
    expect(memory.ledger.listRecent(10, 'accuse_over_redemption')).toHaveLength(ledgerBefore);
  });

  it('a provider that redeems above its last signed spent is accused from the stored receipts and, after the window, slashed to the TBA', async () => {
    const [state] = await store.channels();
    const channelId = state!.channelId;
    const latest = store.receipts(channelId).at(-1)!;
    // The lie: the provider cashes the whole voucher the agent signed, not the spent it signed for.
    expect(state!.authorized).toBeGreaterThan(latest.spentAfter);
    const voucher = await signVoucher({ account: loadSessionKey({ path: world.devnet.sessionKeyPath }), chainId: 31_337, market: world.deployment.computeMarket, channelId, authorized: state!.authorized });
    const lie = await providerClient().writeContract({ address: world.deployment.computeMarket, abi: computeMarketAbi, functionName: 'redeem', args: [channelId, state!.authorized, state!.authorized, voucher.signature] });
    await world.publicClient.waitForTransactionReceipt({ hash: lie });

    const audit = await runSettleCheck({ publicClient: world.publicClient, deployment: world.deployment, memory, payingStore: store });
    expect(audit.anomalies.map((anomaly) => anomaly.provider)).toEqual([world.provider]);
    const accused = await runBondClaims({ publicClient: world.publicClient, deployment: world.deployment, payingStore: store, guard });
    expect(accused).toEqual([expect.objectContaining({ channelId, action: 'accuse_over_redemption', spentAfter: latest.spentAfter, redeemed: state!.authorized })]);
    const [spentAfter, deadline] = await read<[bigint, bigint]>('accusationOf', [channelId]);
    expect(spentAfter).toBe(latest.spentAfter);
    // Sent by the agent's account (the market accepts an accusation only from the channel's payer).
    const sent = await world.publicClient.getTransactionReceipt({ hash: accused[0]!.transactionHash });
    expect(sent.status).toBe('success');
    expect(memory.ledger.listRecent(5, 'accuse_over_redemption')[0]).toMatchObject({ status: 'confirmed' });
    // Inside the window the job waits for the provider's answer; it has none that continues the chain.
    expect(await runBondClaims({ publicClient: world.publicClient, deployment: world.deployment, payingStore: store, guard })).toEqual([]);

    const chainNow = Number((await world.publicClient.getBlock()).timestamp);
    await world.warp(Number(deadline) - chainNow + 2);
    const before = await balanceOfTba();
    const slashed = await runBondClaims({ publicClient: world.publicClient, deployment: world.deployment, payingStore: store, guard });
    expect(slashed).toEqual([expect.objectContaining({ channelId, action: 'slash_over_redemption' })]);
    expect((await balanceOfTba()) - before).toBe(minBond);
    expect((await read<{ bonded: bigint }>('bondOf', [world.provider])).bonded).toBe(0n);
    expect(memory.ledger.listRecent(5, 'slash_over_redemption')[0]).toMatchObject({ status: 'confirmed' });
    // Nothing left to claim; and the provider, now unbonded, is refused for new channels.
    expect(await runBondClaims({ publicClient: world.publicClient, deployment: world.deployment, payingStore: store, guard })).toEqual([]);
    await expect(guard.check({ action: 'open', provider: world.provider, amount: parseUnits('1', 6) })).rejects.toThrow('holds a bond of 0 token units');
  });
});
