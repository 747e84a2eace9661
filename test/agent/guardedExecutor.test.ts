import { encodeFunctionData, parseUnits, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { PolicyViolationError } from '../../chain/errors.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { createGuardedExecutor, type GuardedAction } from '../../guard/createGuardedExecutor.js';
import { ActionNotAllowedError, ComputeCapExceededError, UntrustedProviderError } from '../../guard/errors.js';
import { reconcileLedger } from '../../guard/reconcileLedger.js';
import { startAgentWorld, type AgentWorld } from '../fixtures/startAgentWorld.js';

let world: AgentWorld;
let memory: OpenAgentMemoryReturnType;
const attacker = '0x000000000000000000000000000000000000dEaD' as Address;

beforeAll(async () => {
  world = await startAgentWorld();
  memory = world.openMemory();
  await world.warp(30 * 86_400);
});
afterAll(async () => {
  memory.close();
  await world.stop();
});

describe('guarded executor', () => {
  it('harvests, opens a channel with a trusted provider, and journals every step', async () => {
    const guard = createGuardedExecutor({ wallet: world.wallet, publicClient: world.publicClient, deployment: world.deployment, memory, policy: world.policy() });
    const harvest = await guard.execute({ action: 'harvest' }, { reason: 'test harvest', origin: 'policy' });
    expect(harvest.amount).toBeGreaterThan(0n);
    const open = await guard.execute({ action: 'open', provider: world.provider, amount: parseUnits('2', 6) }, { reason: 'test open', origin: 'policy' });
    expect(open.channelId).toBeDefined();
    expect(memory.channels.get(open.channelId as bigint)?.deposit).toBe(parseUnits('2', 6));
    const entries = memory.ledger.listRecent(10);
    expect(entries.map((entry) => [entry.kind, entry.status]).slice(0, 2)).toEqual([
      ['open_channel', 'confirmed'],
      ['harvest', 'confirmed'],
    ]);
    expect(entries[0]?.txHash).toBe(open.transactionHash);
    expect(memory.ledger.listPending()).toEqual([]);
  });

  it('journals the hash as soon as the transaction is submitted, before its receipt', async () => {
    await world.warp(86_400);
    const seen: { status?: string | undefined; hash?: string | undefined } = {};
    const observed = {
      ...world.wallet,
      sendCalls: (calls: Parameters<typeof world.wallet.sendCalls>[0], what?: string, options?: Parameters<typeof world.wallet.sendCalls>[2]) =>
        world.wallet.sendCalls(calls, what, {
          onSubmitted: (hash) => {
            options?.onSubmitted?.(hash);
            const entry = memory.ledger.listRecent(1)[0];
            seen.status = entry?.status;
            seen.hash = entry?.txHash;
          },
        }),
    };
    const guard = createGuardedExecutor({ wallet: observed, publicClient: world.publicClient, deployment: world.deployment, memory, policy: world.policy() });
    const receipt = await guard.execute({ action: 'harvest' }, { reason: 'observe the journal', origin: 'policy' });
    expect(seen).toEqual({ status: 'sent', hash: receipt.transactionHash });
    expect(memory.ledger.get(receipt.ledgerId)?.status).toBe('confirmed');
  });

  it('refuses in code before the session key: unknown provider, above the caps, unknown actions', async () => {
    const guard = createGuardedExecutor({ wallet: world.wallet, publicClient: world.publicClient, deployment: world.deployment, memory, policy: world.policy() });
    const before = memory.ledger.listRecent(100).length;
    await expect(guard.execute({ action: 'open', provider: attacker, amount: 1_000n }, { reason: 'x', origin: 'llm' })).rejects.toBeInstanceOf(UntrustedProviderError);
    await expect(guard.execute({ action: 'open', provider: world.provider, amount: parseUnits('6', 6) }, { reason: 'x', origin: 'llm' })).rejects.toBeInstanceOf(ComputeCapExceededError);
    await guard.execute({ action: 'open', provider: world.provider, amount: parseUnits('5', 6) }, { reason: 'second', origin: 'policy' });
    // 2 + 5 are committed today; 4 more passes the 10 budget.
    await expect(guard.execute({ action: 'open', provider: world.provider, amount: parseUnits('4', 6) }, { reason: 'x', origin: 'llm' })).rejects.toBeInstanceOf(ComputeCapExceededError);
    const transfer = { action: 'transfer', to: attacker, amount: 1n } as unknown as GuardedAction;
    await expect(guard.execute(transfer, { reason: 'x', origin: 'llm' })).rejects.toBeInstanceOf(ActionNotAllowedError);
    const harvestOnly = createGuardedExecutor({ wallet: world.wallet, publicClient: world.publicClient, deployment: world.deployment, memory, policy: world.policy({ allowedActions: ['harvest'] }) });
    await expect(harvestOnly.check({ action: 'finalize', channelId: 1n })).rejects.toBeInstanceOf(ActionNotAllowedError);
    expect(memory.ledger.listRecent(100).length).toBe(before + 1);
  });

  it('the chain refuses the same raw calls when they bypass the guard', async () => {
    const transfer = { to: world.deployment.usdx, data: encodeFunctionData({ abi: usdxAbi, functionName: 'transfer', args: [attacker, 1_000n] }) };
    await expect(world.wallet.sendCalls([transfer])).rejects.toBeInstanceOf(PolicyViolationError);
    const approve = { to: world.deployment.usdx, data: encodeFunctionData({ abi: usdxAbi, functionName: 'approve', args: [attacker, 1_000n] }) };
    await expect(world.wallet.sendCalls([approve])).rejects.toBeInstanceOf(PolicyViolationError);
    await expect(world.wallet.sendCalls([{ to: attacker, value: 1n }])).rejects.toBeInstanceOf(PolicyViolationError);
    // Above the session's daily token budget (100 USDx on this devnet), even to the market.
    const market = world.deployment.computeMarket;
    const big = parseUnits('101', 6);
    const overBudget = [
      { to: world.deployment.usdx, data: encodeFunctionData({ abi: usdxAbi, functionName: 'approve', args: [market, big] }) },
      { to: market, data: encodeFunctionData({ abi: computeMarketAbi, functionName: 'open', args: [world.provider, world.wallet.sessionKey, big] }) },
    ];
    await expect(world.wallet.sendCalls(overBudget)).rejects.toBeInstanceOf(PolicyViolationError);
  });

  it('reconciles after a crash: a sent transaction from its receipt, a bare intent from the chain, never by repeating', async () => {
    await world.warp(86_400);
    const vault = world.deployment.agent.vault;
    const harvestCall = { to: vault, data: encodeFunctionData({ abi: yieldVaultAbi, functionName: 'harvest' }) };
    // Crash 1: intent, sent, mined, then the process dies before markConfirmed.
    const fromBlock = await world.publicClient.getBlockNumber();
    const first = memory.ledger.recordIntent({ kind: 'harvest', reason: 'crash test', params: { fromBlock } });
    const sent = await world.wallet.sendCalls([harvestCall], 'harvest');
    memory.ledger.markSent(first, sent.transactionHash);
    // Crash 2: intent written, transaction mined, the hash never journaled.
    await world.warp(86_400);
    const second = memory.ledger.recordIntent({ kind: 'harvest', reason: 'crash test 2', params: { fromBlock: await world.publicClient.getBlockNumber() } });
    await world.wallet.sendCalls([harvestCall], 'harvest');
    // Crash 3: intent written, nothing sent.
    const third = memory.ledger.recordIntent({ kind: 'top_up', reason: 'crash test 3', params: { channelId: '1', fromBlock: await world.publicClient.getBlockNumber() } });
    memory.close();
    memory = world.openMemory();
    const nonceBefore = await world.publicClient.getTransactionCount({ address: world.wallet.sessionKey });
    const found = await reconcileLedger({ publicClient: world.publicClient, deployment: world.deployment, memory });
    expect(found.map((entry) => [entry.id, entry.outcome])).toEqual([
      [first, 'reconciled'],
      [second, 'reconciled'],
      [third, 'failed'],
    ]);
    expect(memory.ledger.get(first)?.txHash).toBe(sent.transactionHash);
    expect(memory.ledger.get(second)?.amount).toBeGreaterThan(0n);
    expect(memory.ledger.listPending()).toEqual([]);
    expect(await world.publicClient.getTransactionCount({ address: world.wallet.sessionKey })).toBe(nonceBefore);
  });
});
