import { parseUnits } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { treasuryStatusSchema } from '../../tools/account/schemas.js';
import { buyComputeSchema, closeComputeChannelSchema, listComputeProvidersSchema } from '../../tools/compute/schemas.js';
import { createY2cToolkit, type CreateY2cToolkitReturnType } from '../../tools/createY2cToolkit.js';
import { createGuardedExecutor } from '../../guard/createGuardedExecutor.js';
import { harvestYieldSchema, memberInfoSchema } from '../../tools/vault/schemas.js';
import { invokeTool } from '../fixtures/invokeTool.js';
import { startAgentWorld, type AgentWorld } from '../fixtures/startAgentWorld.js';

let world: AgentWorld;
let memory: OpenAgentMemoryReturnType;
let toolkit: CreateY2cToolkitReturnType;
const stranger = '0x000000000000000000000000000000000000dEaD';

beforeAll(async () => {
  world = await startAgentWorld();
  memory = world.openMemory();
  const guard = createGuardedExecutor({ wallet: world.wallet, publicClient: world.publicClient, deployment: world.deployment, memory, policy: world.policy() });
  toolkit = createY2cToolkit({ wallet: world.wallet, publicClient: world.publicClient, deployment: world.deployment, memory, guard });
  await world.warp(30 * 86_400);
});
afterAll(async () => {
  memory.close();
  await world.stop();
});

describe('toolkit', () => {
  it('has the nine tools with snake_case names', () => {
    expect(toolkit.tools.map((tool) => tool.name).sort()).toEqual(
      ['buy_compute', 'close_compute_channel', 'harvest_yield', 'list_compute_providers', 'member_info', 'propose_to_community', 'recall', 'remember', 'treasury_status'],
    );
  });
});

describe('treasury_status', () => {
  it('schema accepts {} and rejects a non-boolean', () => {
    expect(treasuryStatusSchema.parse({})).toEqual({ includeChannels: true });
    expect(treasuryStatusSchema.safeParse({ includeChannels: 'yes' }).success).toBe(false);
  });
  it('reads balances and pending yield', async () => {
    const { content, artifact } = await invokeTool(toolkit.byName.treasury_status, {});
    expect(content).toContain('Pending yield');
    expect(BigInt(artifact.pendingYield)).toBeGreaterThan(0n);
  });
  it('an invalid call is refused by the schema', async () => {
    await expect(toolkit.byName.treasury_status.invoke({ includeChannels: 3 } as never)).rejects.toThrow();
  });
});

describe('member_info', () => {
  it('schema accepts an address and rejects anything else', () => {
    expect(memberInfoSchema.safeParse({ address: stranger }).success).toBe(true);
    expect(memberInfoSchema.safeParse({ address: 'alice' }).success).toBe(false);
  });
  it("reads a staker's principal, lock and compute balance", async () => {
    const staker = devAccount(devRoles.firstStaker).account.address;
    const { content, artifact } = await invokeTool(toolkit.byName.member_info, { address: staker });
    expect(artifact.principal).toBe(parseUnits('1000', 6).toString());
    expect(BigInt(artifact.computeBalance)).toBeGreaterThan(0n);
    expect(content).toContain('unlocks at');
  });
  it('an address with no stake reads as no stake', async () => {
    const { content } = await invokeTool(toolkit.byName.member_info, { address: stranger });
    expect(content).toContain('no stake');
  });
});

describe('harvest_yield', () => {
  it('schema needs a reason', () => {
    expect(harvestYieldSchema.safeParse({ reason: 'runway' }).success).toBe(true);
    expect(harvestYieldSchema.safeParse({}).success).toBe(false);
  });
  it('harvests through the guard and journals it', async () => {
    const { content, artifact } = await invokeTool(toolkit.byName.harvest_yield, { reason: 'test' });
    expect(content).toMatch(/^Harvested [0-9.]+ USDx/);
    expect(memory.ledger.get(artifact.ledgerId)?.status).toBe('confirmed');
  });
});

describe('list_compute_providers', () => {
  it('schema defaults and rejects', () => {
    expect(listComputeProvidersSchema.parse({})).toEqual({ trustedOnly: false });
    expect(listComputeProvidersSchema.safeParse({ trustedOnly: 1 }).success).toBe(false);
  });
  it('lists providers with trust marked', async () => {
    await world.registerAnotherProvider(9, 'http://127.0.0.1:2/v1');
    const all = await invokeTool(toolkit.byName.list_compute_providers, {});
    expect(all.artifact).toHaveLength(2);
    expect(all.content).toContain('(not trusted');
    const trusted = await invokeTool(toolkit.byName.list_compute_providers, { trustedOnly: true });
    expect(trusted.artifact.map((provider: { address: string }) => provider.address)).toEqual([world.provider]);
  });
});

describe('buy_compute', () => {
  it('schema accepts an address and a decimal, rejects negative or numeric amounts', () => {
    expect(buyComputeSchema.safeParse({ provider: stranger, amount: '2.5' }).success).toBe(true);
    expect(buyComputeSchema.safeParse({ provider: stranger, amount: '-1' }).success).toBe(false);
    expect(buyComputeSchema.safeParse({ provider: stranger, amount: 2 }).success).toBe(false);
  });
  it('opens a channel, then tops it up', async () => {
    const opened = await invokeTool(toolkit.byName.buy_compute, { provider: world.provider, amount: '1' });
    expect(opened.content).toMatch(/^Opened channel #\d+/);
    const topped = await invokeTool(toolkit.byName.buy_compute, { provider: world.provider, amount: '0.5' });
    expect(topped.content).toMatch(/^Topped up channel #\d+/);
    expect(memory.channels.get(BigInt(opened.artifact.channelId))?.deposit).toBe(1_500_000n);
  });
  it('refuses an untrusted provider and above the cap, as text for the model', async () => {
    const untrusted = await invokeTool(toolkit.byName.buy_compute, { provider: stranger, amount: '1' });
    expect(untrusted.content).toMatch(/^Refused: .*not a trusted provider.*\(UntrustedProviderError\)/);
    const tooMuch = await invokeTool(toolkit.byName.buy_compute, { provider: world.provider, amount: '50' });
    expect(tooMuch.artifact.error).toBe('ComputeCapExceededError');
  });
});

describe('close_compute_channel', () => {
  it('schema accepts a decimal id and rejects others', () => {
    expect(closeComputeChannelSchema.safeParse({ channelId: '1' }).success).toBe(true);
    expect(closeComputeChannelSchema.safeParse({ channelId: '0x1' }).success).toBe(false);
  });
  it('requests the close, then finalizes after the window', async () => {
    const channelId = memory.channels.listOpen()[0]?.channelId.toString();
    const requested = await invokeTool(toolkit.byName.close_compute_channel, { channelId });
    expect(requested.content).toMatch(/^Requested the close/);
    const early = await invokeTool(toolkit.byName.close_compute_channel, { channelId });
    expect(early.content).toContain('already closing');
    await world.warp(120);
    const finalized = await invokeTool(toolkit.byName.close_compute_channel, { channelId });
    expect(finalized.content).toMatch(/^Finalized/);
  });
  it("refuses a channel that is not the agent's", async () => {
    const { artifact } = await invokeTool(toolkit.byName.close_compute_channel, { channelId: '999' });
    expect(artifact.error).toBe('ChannelNotOwnedError');
  });
});
