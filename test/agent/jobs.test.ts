import { join } from 'node:path';
import { parseUnits } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrain } from '../../agent/brain/createBrain.js';
import { createChannelPicker } from '../../agent/brain/createChannelPicker.js';
import { listBrainProviders } from '../../agent/brain/listBrainProviders.js';
import { runReflect } from '../../agent/jobs/runReflect.js';
import { runSettleCheck } from '../../agent/jobs/runSettleCheck.js';
import { silentLogger } from '../../core/Logger.js';
import { loadSessionKey } from '../../chain/wallet/loadSessionKey.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { createPayingFetch } from '../../tools/compute/createPayingFetch.js';
import { createSqlitePayingStore, type CreateSqlitePayingStoreReturnType } from '../../tools/compute/createSqlitePayingStore.js';
import { createY2cToolkit } from '../../tools/createY2cToolkit.js';
import { createGuardedExecutor } from '../../guard/createGuardedExecutor.js';
import { startAgentWorld, type AgentWorld } from '../fixtures/startAgentWorld.js';
import { startProviderNode, type ProviderNode } from '../fixtures/startProviderNode.js';

let world: AgentWorld;
let memory: OpenAgentMemoryReturnType;
let provider: ProviderNode;
let store: CreateSqlitePayingStoreReturnType;
let brain: ReturnType<typeof createBrain>;

beforeAll(async () => {
  world = await startAgentWorld();
  memory = world.openMemory();
  provider = await startProviderNode(world);
  await world.warp(30 * 86_400);
  const guard = createGuardedExecutor({ wallet: world.wallet, publicClient: world.publicClient, deployment: world.deployment, memory, policy: world.policy() });
  await guard.execute({ action: 'harvest' }, { reason: 'fund the test', origin: 'policy' });
  await guard.execute({ action: 'open', provider: world.provider, amount: parseUnits('1', 6) }, { reason: 'fund the test', origin: 'policy' });
  store = createSqlitePayingStore({ path: join(world.dir, 'compute.db') });
  const fetch = createPayingFetch({
    account: loadSessionKey({ path: world.devnet.sessionKeyPath }),
    channel: createChannelPicker({ memory, store }),
    caps: { perRequest: parseUnits('0.05', 6), daily: parseUnits('1', 6) },
    store,
  });
  const toolkit = createY2cToolkit({ wallet: world.wallet, publicClient: world.publicClient, deployment: world.deployment, memory, guard });
  brain = createBrain({
    providers: () => listBrainProviders({ publicClient: world.publicClient, deployment: world.deployment, memory, policy: guard.policy, model: 'scripted' }),
    tools: toolkit.tools,
    constitution: 'You are y2c.',
    treasurySummary: async () => 'fine',
    fetch,
    log: silentLogger,
  });
});
afterAll(async () => {
  await provider.stop();
  store.close();
  memory.close();
  await world.stop();
});

describe('reflect job', () => {
  it('the LLM reviews the treasury and acts through the guarded tools; its note is kept', async () => {
    await world.warp(86_400);
    provider.model.push(
      { toolCalls: [{ name: 'treasury_status', arguments: '{}' }] },
      { toolCalls: [{ name: 'harvest_yield', arguments: JSON.stringify({ reason: 'a day of yield is waiting' }) }] },
      { content: 'Harvested a day of yield; compute is funded.' },
    );
    const answer = await runReflect({ brain, memory });
    expect(answer.toolCalls).toEqual(['treasury_status', 'harvest_yield']);
    const harvest = memory.ledger.listRecent(1, 'harvest')[0];
    expect(harvest?.status).toBe('confirmed');
    expect(harvest?.params.origin).toBe('llm');
    expect(memory.kv.getJson<{ text: string }>('reflect.last')?.text).toBe('Harvested a day of yield; compute is funded.');
  });
});

describe('settle check', () => {
  it('matches on-chain redemptions with what the agent signed and was told', async () => {
    expect(store.calls().length).toBeGreaterThan(0);
    await provider.node.settler.settle();
    const result = await runSettleCheck({ publicClient: world.publicClient, deployment: world.deployment, memory, payingStore: store });
    expect(result.anomalies).toEqual([]);
    expect(result.untrusted).toEqual([]);
    const channel = memory.channels.listOpen()[0];
    expect(channel?.redeemed).toBeGreaterThan(0n);
    expect(channel?.redeemed).toBeLessThanOrEqual(channel?.spent ?? 0n);
    const again = await runSettleCheck({ publicClient: world.publicClient, deployment: world.deployment, memory, payingStore: store });
    expect(again.anomalies).toEqual([]);
  });
});
